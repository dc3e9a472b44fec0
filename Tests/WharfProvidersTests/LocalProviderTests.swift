import Foundation
import NIOHTTP1
import Testing
import WharfCore
import WharfProviders
import WharfTesting

#if canImport(Glibc)
import Glibc
#endif

/// The local provider with real processes of the demo product (the `wharf` binary built beside the tests).
@Suite("Local provider")
struct LocalProviderTests {
    static func desired(_ slug: String, telemetry: Bool = true) -> DesiredInstance {
        let draft = InstanceDraft(slug: slug, customerID: "acme", plan: .business, productVersion: "5.3.0", adminEmail: "admin@acme.example.com")
        var (instance, _) = try! draft.validated(now: Date(), baseDomain: "wharf.test")
        instance.state = .requested
        instance.telemetry = telemetry
        instance.licenceKeyFingerprint = LicenceKey.fingerprint("ACME-LICENCE-KEY")
        return DesiredInstance(instance: instance, licenceKey: "ACME-LICENCE-KEY")
    }

    static func with<T: Sendable>(command: [String] = TestFleet.demoProduct, clock: TestClock = TestClock(), _ body: (LocalProvider, String) async throws -> T) async throws -> T {
        try await TestFleet.with(command: command, clock: clock.now, body)
    }

    /// Waits until the product answers its health check; a timeout says what was seen last and ends with
    /// the product's log, so a product that could not start says why.
    static func healthy(_ provider: LocalProvider, _ slug: String) async throws -> ProviderObservation {
        do {
            return try await Poll.until("\(slug) is running and healthy") { () -> ProviderObservation? in
                let seen = await provider.observe(slug)
                return seen.observed.process == .running && seen.observed.healthy ? seen : nil
            }
        } catch {
            let seen = await provider.observe(slug)
            let log = await provider.logs(slug, after: nil, limit: 20).lines.joined(separator: "\n")
            throw TestSetupError("\(error); last seen \(seen.observed.process), \(seen.recentCrashes) recent crashes; its log ends:\n\(log)")
        }
    }

    @Test("start is idempotent; the product runs with the instance's environment; stop keeps the data and start brings it back")
    func lifecycle() async throws {
        try await Self.with { provider, directory in
            let want = Self.desired("acme-one")
            try await provider.apply(.start(slug: want.slug), desired: want)
            let first = try await Self.healthy(provider, "acme-one")
            let pid = await provider.pid("acme-one")
            try await provider.apply(.start(slug: want.slug), desired: want)
            #expect(await provider.pid("acme-one") == pid)
            #expect(first.launch == want.launch && first.observed.productVersion == "5.3.0" && first.observed.telemetry == true)
            #expect(first.observed.licenceKeyFingerprint == LicenceKey.fingerprint("ACME-LICENCE-KEY"))

            let product = RunningService(port: try #require(await provider.port("acme-one")))
            #expect(try await product.request(.GET, "/about").body.contains(LicenceKey.fingerprint("ACME-LICENCE-KEY")))
            #expect(try await product.request(.POST, "/api/notes", headers: [("Content-Type", "application/json")], body: #"{"title":"kept"}"#).status == 201)
            let state = try String(contentsOfFile: "\(directory)/acme-one/state.json", encoding: .utf8)
            #expect(!state.contains("ACME-LICENCE-KEY"))
            #expect((try FileManager.default.attributesOfItem(atPath: "\(directory)/acme-one/state.json")[.posixPermissions] as? Int) == 0o600)

            try await provider.apply(.stop(slug: want.slug), desired: want)
            #expect(await provider.observe("acme-one").observed.process == .stopped)
            #expect(await provider.pid("acme-one") == nil)
            try await provider.apply(.stop(slug: want.slug), desired: want)
            try await provider.apply(.start(slug: want.slug), desired: want)
            _ = try await Self.healthy(provider, "acme-one")
            let again = RunningService(port: try #require(await provider.port("acme-one")))
            #expect(try await again.request(.GET, "/api/notes").body.contains(#""title":"kept""#))
            #expect(await provider.observe("acme-one").recentCrashes == 0)
        }
    }

    @Test("a killed product is a crash: restarted after a backoff; a restart applies a new environment")
    func crashAndRestart() async throws {
        let clock = TestClock()
        try await Self.with(clock: clock) { provider, _ in
            let want = Self.desired("acme-two")
            try await provider.apply(.start(slug: want.slug), desired: want)
            _ = try await Self.healthy(provider, "acme-two")
            kill(try #require(await provider.pid("acme-two")), SIGKILL)
            let crashed = try await Poll.until("the crash is seen") { () -> ProviderObservation? in
                let seen = await provider.observe("acme-two")
                return seen.observed.process == .stopped ? seen : nil
            }
            #expect(crashed.recentCrashes == 1)
            let backingOff = await #expect(throws: ProviderError.self) { try await provider.apply(.start(slug: want.slug), desired: want) }
            #expect(backingOff?.retryable == true && backingOff?.message.contains("backing off") == true)
            clock.advance(by: 1)
            try await provider.apply(.start(slug: want.slug), desired: want)
            _ = try await Self.healthy(provider, "acme-two")

            let before = await provider.pid("acme-two")
            let changed = Self.desired("acme-two", telemetry: false)
            try await provider.apply(.restart(slug: "acme-two", reason: "telemetry off"), desired: changed)
            let restarted = try await Self.healthy(provider, "acme-two")
            #expect(await provider.pid("acme-two") != before && restarted.observed.telemetry == false && restarted.recentCrashes == 1)
        }
    }

    @Test("a new provider on the same directory adopts the running product instead of starting another")
    func adoption() async throws {
        try await Self.with { provider, directory in
            let want = Self.desired("acme-three")
            try await provider.apply(.start(slug: want.slug), desired: want)
            let first = try await Self.healthy(provider, "acme-three")
            let pid = await provider.pid("acme-three")
            let successor = LocalProvider(LocalProviderConfiguration(directory: directory, command: TestFleet.demoProduct))
            let adopted = await successor.observe()
            #expect(adopted["acme-three"]?.observed.process == .running && adopted["acme-three"]?.observed.startedAt == first.observed.startedAt)
            try await successor.apply(.start(slug: want.slug), desired: want)
            #expect(await successor.pid("acme-three") == pid)
            try await successor.apply(.stop(slug: want.slug), desired: want)
            #expect(await provider.pid("acme-three") == nil)
        }
    }

    @Test("a product that exits at once is a crash loop: reported unhealthy with its last log lines kept")
    func crashLoop() async throws {
        let clock = TestClock()
        try await Self.with(command: ["/bin/sh", "-c", "echo 'SITE_CONFIG names /nope, which cannot be read' >&2; exit 1"], clock: clock) { provider, directory in
            let want = Self.desired("acme-four")
            for attempt in 1...5 {
                try await provider.apply(.start(slug: want.slug), desired: want)
                let seen = try await Poll.until("the exit is seen") { () -> ProviderObservation? in
                    let seen = await provider.observe("acme-four")
                    return seen.recentCrashes == attempt ? seen : nil
                }
                #expect(!seen.observed.healthy)
                clock.advance(by: LocalProviderConfiguration.backoff(afterCrashes: attempt))
            }
            #expect(await provider.observe("acme-four").recentCrashes == 5)
            let log = try String(contentsOfFile: "\(directory)/acme-four/logs/product.log", encoding: .utf8)
            #expect(log.components(separatedBy: "cannot be read").count - 1 == 5)
        }
    }

    @Test("a running product's log is rotated when it grows too large; the product goes on writing to the fresh one")
    func rotatesRunningLog() async throws {
        // The demo product, with a numbered line logged beside it every 10 ms for as long as it runs.
        let chatty = [
            "/bin/sh", "-c",
            #"p=$$; (i=0; while kill -0 $p 2>/dev/null; do i=$((i+1)); echo "line $i padding-padding-padding-padding"; sleep 0.01; done) & exec "$0" demo-product"#,
            TestFleet.demoProduct[0],
        ]
        try await TestFleet.with(command: chatty, configure: { $0.rotateLogBytes = 2048; $0.keptLogs = 2 }) { provider, directory in
            let want = Self.desired("acme-log")
            try await provider.apply(.start(slug: want.slug), desired: want)
            let pid = await provider.pid("acme-log")
            let log = "\(directory)/acme-log/logs/product.log"
            _ = try await Poll.until("the log is rotated twice") { () -> Bool? in
                _ = await provider.observe("acme-log")
                return FileManager.default.fileExists(atPath: "\(log).2") ? true : nil
            }
            #expect(!FileManager.default.fileExists(atPath: "\(log).3"))
            #expect(await provider.pid("acme-log") == pid)
            func numbers(_ path: String) throws -> [Int] {
                try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").compactMap { $0.split(separator: " ").dropFirst().first.flatMap { Int($0) } }
            }
            let older = try numbers("\(log).2"), newer = try numbers("\(log).1")
            #expect(!older.isEmpty && !newer.isEmpty && older.max()! < newer.max()!)
            let current = try await Poll.until("the product writes to the truncated log") { () -> [Int]? in
                let lines = try numbers(log)
                return lines.isEmpty ? nil : lines
            }
            #expect(current.max()! > newer.max()!)
            let size = try #require(try FileManager.default.attributesOfItem(atPath: log)[.size] as? Int)
            #expect(size < 64 * 1024)
        }
    }

    @Test("data is destroyed only when the product is stopped")
    func destroy() async throws {
        try await Self.with { provider, directory in
            let want = Self.desired("acme-five")
            try await provider.apply(.start(slug: want.slug), desired: want)
            _ = try await Self.healthy(provider, "acme-five")
            let refused = await #expect(throws: ProviderError.self) { try await provider.apply(.destroyData(slug: "acme-five"), desired: want) }
            #expect(refused?.retryable == true)
            try await provider.apply(.stop(slug: want.slug), desired: want)
            try await provider.apply(.destroyData(slug: "acme-five"), desired: want)
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/acme-five"))
            #expect(await provider.observe()["acme-five"] == nil)
            try await provider.apply(.destroyData(slug: "acme-five"), desired: want)
        }
    }
}

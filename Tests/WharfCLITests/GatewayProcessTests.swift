import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import WharfCore
import WharfRuntime
import WharfStore
import WharfTesting

@testable import wharf

/// `wharf gateway serve` replicas as real processes on one database, stopped the hard way and the
/// graceful way while calls are in flight.
@Suite("wharf gateway serve replicas")
struct GatewayProcessTests {
    static let licenceKey = "ACME-GATEWAY-KEY-2"
    static let body = #"{"model":"gpt-4.1","max_tokens":50,"messages":[{"role":"user","content":"hi"}]}"#

    /// A database with one instance allowed the gateway under `limits`, the fake upstream, and the
    /// environment a replica needs.
    static func with(limits: FeatureLimits, _ body: @Sendable (URL, [String: String], FakeLLMUpstream) async throws -> Void) async throws {
        let work = FileManager.default.temporaryDirectory.appending(path: "wharf-gateway-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let database = work.appending(path: "wharf.sqlite").path
        let masterKey = SecretBox.generateBase64Key()
        try await TestStore.run(.sqlite(path: database), now: Date.init) { store in
            _ = try await store.createCustomer(Fixtures.customer(), actor: Fixtures.operatorActor)
            var draft = Fixtures.instance("acme-prod")
            draft.licenceKey = licenceKey
            draft.aiGatewayAccess = true
            _ = try await store.createInstance(draft, actor: Fixtures.operatorActor)
            var patch = InstancePatch()
            patch.aiGatewayLimits = GatewayLimits([.chat: limits])
            _ = try await store.updateInstance(slug: "acme-prod", patch, actor: Fixtures.operatorActor)
        }
        try await FakeLLMUpstream.with { upstream in
            var environment = ProcessInfo.processInfo.environment
            environment["SQLITE_PATH"] = database
            environment["WHARF_MASTER_KEY"] = masterKey
            environment["WHARF_AI_OPENAI_KEY"] = upstream.apiKey
            environment["WHARF_AI_OPENAI_URL"] = upstream.baseURL
            environment["LOG_LEVEL"] = "error"
            environment["DIAGNOSTICS_SECRET"] = "gateway-diagnostics-secret"
            try await body(work, environment, upstream)
        }
    }

    /// Starts a replica and waits until it answers `/v1/limits`.
    static func start(_ environment: [String: String], work: URL, name: String) async throws -> (pid: pid_t, port: Int) {
        let port = try LoopbackPort.free()
        let pid = try Spawn.start(
            [MSPUpTests.wharf, "gateway", "serve", "--port", "\(port)", "--admin-port", "\(try LoopbackPort.free())"], environment: environment, outputPath: work.appending(path: "\(name).out").path, newSession: false
        )
        _ = try await Poll.until("replica \(name) answers", within: .seconds(60)) { try await status(port: port, path: "/v1/limits", method: .GET) == 200 ? true : nil }
        return (pid, port)
    }

    /// The status of one call with the instance's token, or nil when the replica does not answer.
    static func status(port: Int, path: String = "/v1/chat/completions", method: HTTPMethod = .POST) async throws -> Int? {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        request.headers.add(name: "authorization", value: "Bearer \(GatewayToken.derive(licenceKey: licenceKey))")
        if method == .POST {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(30)) else { return nil }
        _ = try? await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }

    static func wait(_ pid: pid_t) async throws -> Int32 {
        try await RawConnection.offPool { Spawn.wait(pid) }
    }

    @Test("a replica killed mid-stream: its concurrency slot stays held until its lease runs out, then the other replica admits")
    func killedMidStream() async throws {
        try await Self.with(limits: FeatureLimits(concurrency: 1)) { work, environment, upstream in
            upstream.change {
                $0.replyWords = 2_000
                $0.chunkDelay = .milliseconds(20)
            }
            var environment = environment
            environment["WHARF_AI_LEASE_SECONDS"] = "3"
            let doomed = try await Self.start(environment, work: work, name: "doomed")
            let survivor = try await Self.start(environment, work: work, name: "survivor")
            defer {
                for pid in [doomed.pid, survivor.pid] { kill(pid, SIGKILL) }
            }
            let connection = try RawConnection(port: doomed.port)
            let stream = Self.body.replacingOccurrences(of: #""max_tokens":50"#, with: #""max_tokens":50,"stream":true"#)
            try connection.send(
                "POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer \(GatewayToken.derive(licenceKey: Self.licenceKey))\r\n"
                    + "Content-Type: application/json\r\nContent-Length: \(stream.utf8.count)\r\n\r\n\(stream)"
            )
            _ = try await RawConnection.offPool { try connection.read(through: "delta") }
            kill(doomed.pid, SIGKILL)
            #expect(try await Self.wait(doomed.pid) != 0)
            let killed = ContinuousClock.now

            #expect(try await Self.status(port: survivor.port) == 429, "the dead replica's lease still holds the only slot")
            _ = try await Poll.until("the dead replica's slot comes free", within: .seconds(30)) { try await Self.status(port: survivor.port) == 200 ? true : nil }
            // Leases are renewed every second and last three: the slot came free with the lease, not before.
            #expect(ContinuousClock.now - killed > .seconds(1))
        }
    }

    @Test("SIGTERM with calls in flight: every call is answered, and every usage event is written before the process exits 0")
    func gracefulStopKeepsUsage() async throws {
        try await Self.with(limits: FeatureLimits(concurrency: 100)) { work, environment, upstream in
            upstream.change { $0.delay = .milliseconds(1_500) }
            let replica = try await Self.start(environment, work: work, name: "replica")
            defer { kill(replica.pid, SIGKILL) }
            let calls = 12
            async let statuses = withThrowingTaskGroup(of: Int?.self) { group in
                for _ in 0..<calls { group.addTask { try await Self.status(port: replica.port) } }
                return try await group.reduce(into: [Int?]()) { $0.append($1) }
            }
            _ = try await Poll.until("all calls reach the upstream") { upstream.requests == calls ? true : nil }
            kill(replica.pid, SIGTERM)
            #expect(try await statuses.compactMap { $0 } == Array(repeating: 200, count: calls))
            #expect(try await Self.wait(replica.pid) == 0)

            try await TestStore.run(.sqlite(path: environment["SQLITE_PATH"]!), now: Date.init, migrate: false) { store in
                let events = try await store.gatewayUsageEvents(instance: "acme-prod")
                #expect(events.count == calls && events.allSatisfy { $0.status == 200 && $0.completionTokens > 0 })
            }
        }
    }
}

import Foundation
import Logging
import NIOHTTP1
import Testing
@testable import WharfControlPlane
import WharfCore
import WharfProviders
import WharfRuntime
import WharfStore
import WharfTesting

#if canImport(Glibc)
import Glibc
#endif

/// The reconciler against a real store (both engines) and real product processes.
@Suite("Reconciler")
struct ReconcilerTests {
    static let logger: Logger = {
        var logger = Logger(label: "wharf.test.reconciler")
        logger.logLevel = .error
        return logger
    }()

    static func reconciler(_ store: Store, _ provider: any Provider, worker: String = "test", clock: @escaping @Sendable () -> Date = Date.init) -> Reconciler {
        Reconciler(store: store, provider: provider, configuration: ReconcilerConfiguration(workerID: worker), clock: clock, logger: logger)
    }

    /// Runs reconcile passes until `check` holds.
    static func drive(_ reconciler: Reconciler, until what: String, _ check: @escaping () async throws -> Bool) async throws {
        _ = try await Poll.until(what) { () -> Bool? in
            try await reconciler.runOnce()
            return try await check() ? true : nil
        }
    }

    static func submit(_ store: Store, _ kind: RequestKind, on slug: String, _ parameters: RequestParameters = RequestParameters()) async throws -> LifecycleRequest {
        var request = try await store.submitRequest(RequestSubmission(kind: kind, instance: slug, parameters: parameters), actor: Fixtures.requesterActor).value
        if request.state == .submitted { request = try await store.decideRequest(id: request.id, .approve, actor: Fixtures.adminActor) }
        return request
    }

    static func history(_ store: Store, _ slug: String) async throws -> [String] {
        try await store.auditEntries(target: "instance:\(slug)", limit: 1000).items.map(\.action)
    }

    @Test("requests take effect: create, telemetry, restart, suspend, resume, tear-down, each completed when the world matches", arguments: TestStore.engines)
    func lifecycle(engine: EngineKind) async throws {
        try await TestStore.with(engine, now: Date.init) { store in
            try await TestFleet.with { provider, directory in
                let reconciler = Self.reconciler(store, provider)
                _ = try await store.createCustomer(Fixtures.customer(), actor: Fixtures.operatorActor)
                let create = try await store.submitRequest(
                    RequestSubmission(kind: .createInstance, parameters: RequestParameters(instance: Fixtures.instance("acme-prod"))), actor: Fixtures.requesterActor
                ).value
                try await Self.drive(reconciler, until: "the instance is active") { try await store.request(id: create.id).state == .done }
                #expect(try await store.instance(slug: "acme-prod").state == .active)
                let product = RunningService(port: try #require(await provider.port("acme-prod")))
                #expect(try await product.request(.GET, "/-/version").body.contains("5.2.0"))
                #expect(try await Self.history(store, "acme-prod").starts(with: ["instance.create", "instance.start_provisioning", "instance.process_started", "instance.provisioned"]))

                let pid = await provider.pid("acme-prod")
                let telemetry = try await Self.submit(store, .disableTelemetry, on: "acme-prod")
                try await Self.drive(reconciler, until: "telemetry is off") { try await store.request(id: telemetry.id).state == .done }
                #expect(await provider.observe("acme-prod").observed.telemetry == false)
                #expect(await provider.pid("acme-prod") != pid)

                let beforeRestart = await provider.pid("acme-prod")
                let restart = try await Self.submit(store, .restartFrontend, on: "acme-prod")
                try await Self.drive(reconciler, until: "the front end restarted") { try await store.request(id: restart.id).state == .done }
                #expect(await provider.pid("acme-prod") != beforeRestart)

                let suspend = try await Self.submit(store, .suspend, on: "acme-prod", RequestParameters(reason: "unpaid"))
                try await Self.drive(reconciler, until: "the instance is suspended") { try await store.request(id: suspend.id).state == .done }
                #expect(await provider.observe("acme-prod").observed.process == .stopped)
                #expect(FileManager.default.fileExists(atPath: "\(directory)/acme-prod/data/product.sqlite"))

                let resume = try await Self.submit(store, .resume, on: "acme-prod")
                try await Self.drive(reconciler, until: "the instance is resumed") { try await store.request(id: resume.id).state == .done }
                #expect(try await store.instance(slug: "acme-prod").state == .active)

                let tearDown = try await Self.submit(store, .tearDown, on: "acme-prod", RequestParameters(confirm: "acme-prod"))
                try await Self.drive(reconciler, until: "the instance is torn down") { try await store.request(id: tearDown.id).state == .done }
                #expect(try await store.instance(slug: "acme-prod").state == .deleted)
                #expect(await provider.observe("acme-prod").observed.process == .stopped)
                // The data is kept for the retention period.
                #expect(FileManager.default.fileExists(atPath: "\(directory)/acme-prod/data/product.sqlite"))
                let history = try await Self.history(store, "acme-prod")
                #expect(history.filter { $0 == "instance.process_restarted" }.count == 2)
                #expect(history.suffix(2) == ["instance.process_stopped", "instance.torn_down"])
            }
        }
    }

    @Test("static egress, which the local provider cannot give, fails its request with the reason; turning it off completes")
    func unsupportedEgress() async throws {
        try await TestStore.with(.sqlite, now: Date.init) { store in
            try await TestFleet.with { provider, _ in
                let reconciler = Self.reconciler(store, provider)
                _ = try await store.createCustomer(Fixtures.customer(), actor: Fixtures.operatorActor)
                _ = try await store.createInstance(Fixtures.instance("acme-prod"), actor: Fixtures.operatorActor)
                try await Self.drive(reconciler, until: "the instance is active") { try await store.instance(slug: "acme-prod").state == .active }

                let egress = try await Self.submit(store, .egressConnectivity, on: "acme-prod", RequestParameters(staticEgressIP: true))
                try await Self.drive(reconciler, until: "the egress request is failed") { try await store.request(id: egress.id).state == .failed }
                let reason = try #require(try await store.request(id: egress.id).transitions.last?.reason)
                #expect(reason.contains("local provider") && reason.contains("static egress"))
                #expect(try await store.instance(slug: "acme-prod").state == .active)

                let off = try await Self.submit(store, .egressConnectivity, on: "acme-prod", RequestParameters(staticEgressIP: false))
                try await Self.drive(reconciler, until: "turning egress off is done") { try await store.request(id: off.id).state == .done }
            }
        }
    }

    @Test("a killed product is back and healthy within 5 s, and the crash is in the instance's history")
    func healsACrash() async throws {
        try await TestStore.with(.sqlite, now: Date.init) { store in
            try await TestFleet.with { provider, _ in
                let reconciler = Self.reconciler(store, provider)
                _ = try await store.createCustomer(Fixtures.customer(), actor: Fixtures.operatorActor)
                _ = try await store.createInstance(Fixtures.instance("acme-prod"), actor: Fixtures.operatorActor)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await reconciler.run() }
                    defer { group.cancelAll() }
                    let first = try await Poll.until("the instance is active") { () -> Int32? in
                        try await store.instance(slug: "acme-prod").state == .active ? await provider.pid("acme-prod") : nil
                    }
                    kill(first, SIGKILL)
                    // The provider may answer healthy a moment before the reconciler records the start.
                    _ = try await Poll.until("the instance is back and healthy, and its history says so", within: .seconds(5)) { () -> Bool? in
                        let seen = await provider.observe("acme-prod")
                        guard seen.processID != nil, seen.processID != first, seen.observed.healthy else { return nil }
                        return try await Self.history(store, "acme-prod").last == "instance.process_started" ? true : nil
                    }
                }
                let history = try await Self.history(store, "acme-prod")
                #expect(history.suffix(2) == ["instance.process_crashed", "instance.process_started"])
                #expect(try await store.instance(slug: "acme-prod").state == .active)
            }
        }
    }

    @Test("a product that exits at once fails its instance with a crash loop and its last log lines; the rest of the fleet runs", arguments: TestStore.engines)
    func crashLoop(engine: EngineKind) async throws {
        let clock = TestClock(Date())
        let command = ["/bin/sh", "-c", #"if [ "$ENVIRONMENT_ID" = acme-bad ]; then echo "SITE_CONFIG names /nope, which cannot be read" >&2; exit 1; fi; exec "$0" demo-product"#, TestFleet.demoProduct[0]]
        try await TestStore.with(engine, clock: clock) { store in
            try await TestFleet.with(command: command, clock: clock.now) { provider, _ in
                let reconciler = Self.reconciler(store, provider, clock: clock.now)
                _ = try await store.createCustomer(Fixtures.customer(), actor: Fixtures.operatorActor)
                var requests: [String: String] = [:]
                for slug in ["acme-bad", "acme-good"] {
                    requests[slug] = try await store.submitRequest(
                        RequestSubmission(kind: .createInstance, parameters: RequestParameters(instance: Fixtures.instance(slug))), actor: Fixtures.requesterActor
                    ).value.id
                }
                try await Self.drive(reconciler, until: "the bad instance fails and the good one is active") {
                    clock.advance(by: 2)
                    let bad = try await store.instance(slug: "acme-bad").state
                    let good = try await store.instance(slug: "acme-good").state
                    return bad == .failed && good == .active
                }
                let bad = try await store.instance(slug: "acme-bad")
                #expect(bad.failureReason?.contains("crash loop") == true && bad.failureReason?.contains("cannot be read") == true)
                let failed = try await store.request(id: try #require(requests["acme-bad"]))
                #expect(failed.state == .failed)
                #expect(try await store.request(id: try #require(requests["acme-good"])).state == .done)
                #expect(await provider.observe("acme-bad").observed.process != .running)
                #expect(try await Self.history(store, "acme-bad").filter { $0 == "instance.process_crashed" }.count == 5)
            }
        }
    }

    @Test("two control planes on one store never act on one instance twice: one process and one start each", arguments: TestStore.engines)
    func twoWorkers(engine: EngineKind) async throws {
        try await TestStore.with(engine, now: Date.init) { store in
            try await TestFleet.with { provider, directory in
                let twin = LocalProvider(LocalProviderConfiguration(directory: directory, command: TestFleet.demoProduct))
                let workers = [Self.reconciler(store, provider, worker: "one"), Self.reconciler(store, twin, worker: "two")]
                _ = try await store.createCustomer(Fixtures.customer(), actor: Fixtures.operatorActor)
                let slugs = (1...8).map { "acme-\($0)" }
                for slug in slugs { _ = try await store.createInstance(Fixtures.instance(slug), actor: Fixtures.operatorActor) }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for worker in workers { group.addTask { try await worker.run() } }
                    defer { group.cancelAll() }
                    _ = try await Poll.until("every instance is active") { () -> Bool? in
                        let states = try await store.instances(InstanceQuery(limit: 100)).items.map(\.state)
                        return states.allSatisfy { $0 == .active } ? true : nil
                    }
                }
                for slug in slugs {
                    #expect(try await Self.history(store, slug).filter { $0 == "instance.process_started" }.count == 1)
                    #expect(await provider.pid(slug) != nil)
                }
            }
        }
    }

    @Test("a worker on this host whose process is gone is recognised as dead; others are not")
    func deadLocalWorkers() throws {
        let exited = Process()
        exited.executableURL = URL(fileURLWithPath: "/bin/true")
        try exited.run()
        exited.waitUntilExit()
        let host = ProcessInfo.processInfo.hostName
        #expect(ReconcilerConfiguration.isDeadLocalWorker("\(host)/\(exited.processIdentifier)/abcd1234"))
        #expect(!ReconcilerConfiguration.isDeadLocalWorker("\(host)/\(ProcessInfo.processInfo.processIdentifier)/abcd1234"))
        #expect(!ReconcilerConfiguration.isDeadLocalWorker("\(host)/1/abcd1234"))
        #expect(!ReconcilerConfiguration.isDeadLocalWorker("elsewhere/\(exited.processIdentifier)/abcd1234"))
    }
}

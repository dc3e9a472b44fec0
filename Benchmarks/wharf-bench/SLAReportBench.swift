import ArgumentParser
import Foundation
import WharfCore
import WharfRuntime
import WharfStore
import WharfTesting

/// The fleet SLA report over a realistic queue (issue 3: 10,000 requests in under 100 ms on each engine).
/// It fills a store on each engine through `submitRequest` and decisions, as operators would over five
/// weeks, then times the report and its JSON encoding side by side.
struct SLAReportBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sla-report", abstract: "Time the SLA report on SQLite and PostgreSQL.")

    @Option(help: "Requests in the store.") var requests = 10_000
    @Option(help: "Timed runs of the report per engine.") var runs = 20
    @Option(help: "PostgreSQL server (a database is created and dropped); defaults to WHARF_TEST_POSTGRES_URL.") var postgres: String?

    func run() async throws {
        if let postgres { setenv(TestPostgres.environmentVariable, postgres, 1) }
        var lines = ["SLA report over \(requests) requests, \(runs) runs (target < 100 ms; ratio in brackets)"]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wharf-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let sqliteClock = TestClock()
        lines.append(try await TestStore.run(.sqlite(path: directory.appendingPathComponent("wharf.sqlite").path), clock: sqliteClock) { store in
            try await measure("sqlite", store, clock: sqliteClock)
        })
        if ProcessInfo.processInfo.environment[TestPostgres.environmentVariable] != nil {
            let postgresClock = TestClock()
            lines.append(try await TestPostgres.withDatabase { url in
                try await TestStore.run(.postgres(url: url), clock: postgresClock) { store in try await measure("postgres", store, clock: postgresClock) }
            })
        } else {
            lines.append("postgres: skipped (pass --postgres or set \(TestPostgres.environmentVariable))")
        }
        print(lines.joined(separator: "\n"))
    }

    func measure(_ engine: String, _ store: Store, clock: TestClock) async throws -> String {
        let filling = ContinuousClock.now
        let open = try await fill(store, clock: clock)
        let fillSeconds = (ContinuousClock.now - filling) / .seconds(1)
        var report = Latencies()
        var encoded = Latencies()
        var bytes = 0
        for _ in 0..<runs {
            let began = ContinuousClock.now
            let sla = try await store.slaReport()
            let built = ContinuousClock.now
            bytes = try WharfJSON.encoder().encode(sla).count
            report.record(built - began)
            encoded.record(ContinuousClock.now - began)
        }
        let (p50, worst, withJSON) = (report.percentile(50), report.percentile(100), encoded.percentile(100))
        return String(
            format: "%@: report p50 %.1f ms, worst %.1f ms (%.2f); with JSON encoding worst %.1f ms (%.2f), %d KiB; %d open; filled in %.0f s",
            engine, p50, worst, worst / 100, withJSON, withJSON / 100, bytes / 1024, open, fillSeconds
        )
    }

    /// Submits and decides `requests` requests across 500 instances, five minutes apart; returns how many
    /// are left open.
    func fill(_ store: Store, clock: TestClock) async throws -> Int {
        let operatorActor = Actor(id: "bench-op", name: "bench operator", role: .operator)
        let requester = Actor(id: "bench-rq", name: "bench requester", role: .requester)
        _ = try await store.createCustomer(CustomerDraft(id: "bench", name: "Bench", contactEmail: "ops@bench.example.com"), actor: operatorActor)
        let slugs = (0..<500).map { "bench-\($0)" }
        for slug in slugs {
            _ = try await store.createInstance(
                InstanceDraft(slug: slug, customerID: "bench", plan: .enterprise, productVersion: "5.2.0", adminEmail: "admin@bench.example.com"), actor: operatorActor
            )
            for event in [LifecycleEvent.startProvisioning, .provisioned] { _ = try await store.applyEvent(slug: slug, InstanceEventRequest(event: event), actor: .system) }
        }
        var open = 0
        for n in 0..<requests {
            clock.advance(by: 300)
            let slug = slugs[n % slugs.count]
            switch n % 10 {
            case 0..<4:
                let request = try await store.submitRequest(
                    RequestSubmission(kind: .addCustomDomain, instance: slug, parameters: RequestParameters(domain: "d\(n).bench.example.com")), actor: requester
                ).value
                switch n % 5 {
                case 0: open += 1
                case 1: _ = try await store.decideRequest(id: request.id, .reject, reason: "not ours", actor: operatorActor)
                default:
                    _ = try await store.decideRequest(id: request.id, .approve, actor: operatorActor)
                    if n % 3 == 0 { open += 1 } else {
                        _ = try await store.completeSatisfiedRequests(slug: slug, observed: ObservedInstance(process: .running, healthy: true, routedDomains: ["d\(n).bench.example.com"]))
                    }
                }
            case 4..<6:
                _ = try await store.submitRequest(RequestSubmission(kind: .restartFrontend, instance: slug), actor: requester)
                _ = try await store.completeSatisfiedRequests(slug: slug, observed: ObservedInstance(process: .running, healthy: true, frontendRestarts: .max))
            case 6..<8:
                _ = try await store.submitRequest(RequestSubmission(kind: n % 2 == 0 ? .enableAIGateway : .disableAIGateway, instance: slug), actor: requester)
            default:
                _ = try await store.submitRequest(RequestSubmission(kind: .resetAdminPassword, instance: slug), actor: requester)
            }
        }
        return open
    }
}

import Foundation
import WharfClient
import WharfCore

/// One engine's run: fill the registry through the API, then list it page by page and with the CLI.
struct RegistryScenario: Sendable {
    static let customers = 50
    static let pageSize = 100

    let wharfBinary: String
    let instances: Int
    let concurrency: Int

    func run(engine: String, databaseURL: String?) async throws -> EngineReport {
        log("\(engine): starting wharf serve")
        let server = try await ServerProcess.start(binary: wharfBinary, databaseURL: databaseURL)
        defer { server.stop() }
        try await Task.sleep(for: .seconds(2))
        let idleAtStart = try server.residentMiB()
        let client = WharfClient(baseURL: server.url, token: server.token)
        for c in 0..<Self.customers {
            _ = try await client.createCustomer(CustomerDraft(id: customerID(c), name: "Customer \(c)", contactEmail: "ops@c\(c).example.com"))
        }

        let sequential = max(1, instances / 10)
        log("\(engine): creating \(instances - sequential) instances with \(concurrency) clients")
        let started = ContinuousClock.now
        let concurrent = try await createConcurrently(client, range: 0..<(instances - sequential))
        log("\(engine): creating the last \(sequential) one at a time")
        let oneAtATime = try await create(client, range: (instances - sequential)..<instances)
        let fillSeconds = (ContinuousClock.now - started) / .seconds(1)

        log("\(engine): listing every page under \(Self.filters.count) filters")
        var listing = Latencies()
        for _ in 0..<2 {
            for filter in Self.filters { listing.merge(try await walkPages(client, filter)) }
        }

        log("\(engine): wharf instance list --output json, 5 times")
        var cliSeconds: [Double] = []
        for _ in 0..<5 { cliSeconds.append(try await timeCLIList(server)) }

        // Idle means after the database pool has closed connections unused for 10 s.
        try await Task.sleep(for: .seconds(15))
        return EngineReport(
            engine: engine, instances: instances, fillSeconds: fillSeconds,
            createConcurrent: concurrent.summary, createOneAtATime: oneAtATime.summary, listPage: listing.summary,
            cliListSeconds: cliSeconds, idleMiBAtStart: idleAtStart, idleMiBAfterLoad: try server.residentMiB()
        )
    }

    /// Filters that select a half, a third, a fiftieth and a sixth of the fleet, and all of it.
    static let filters: [InstanceFilter] = [
        InstanceFilter(state: .requested),
        InstanceFilter(plan: .enterprise),
        InstanceFilter(channel: .fast),
        InstanceFilter(customerID: "customer-07"),
        InstanceFilter(plan: .business, channel: .stable),
    ]

    func customerID(_ n: Int) -> String { String(format: "customer-%02d", n) }

    func draft(_ n: Int) -> InstanceDraft {
        let plan: Plan = n % 2 == 0 ? .business : .enterprise
        let channels: [ReleaseChannel] = [.stable, .fast, .pinned]
        return InstanceDraft(
            slug: String(format: "inst-%06d", n), customerID: customerID(n % Self.customers), plan: plan, productVersion: "5.2.\(n % 7)",
            adminEmail: "admin@c\(n % Self.customers).example.com", channel: channels[n % 3],
            ingressAllowlist: ["10.\(n % 250).0.0/16", "2001:db8:\(String(n % 65536, radix: 16))::/48"],
            telemetry: n % 4 != 0, licenceKey: "LK-\(UUID().uuidString)", executors: plan.maxExecutors
        )
    }

    func create(_ client: WharfClient, range: some Sequence<Int>) async throws -> Latencies {
        var latencies = Latencies()
        for n in range {
            let start = ContinuousClock.now
            _ = try await client.createInstance(draft(n))
            latencies.record(ContinuousClock.now - start)
        }
        return latencies
    }

    func createConcurrently(_ client: WharfClient, range: Range<Int>) async throws -> Latencies {
        try await withThrowingTaskGroup(of: Latencies.self) { group in
            for worker in 0..<concurrency {
                group.addTask { try await create(client, range: range.filter { $0 % concurrency == worker }) }
            }
            var all = Latencies()
            for try await part in group { all.merge(part) }
            return all
        }
    }

    func walkPages(_ client: WharfClient, _ filter: InstanceFilter) async throws -> Latencies {
        var latencies = Latencies()
        var cursor: String?
        repeat {
            let start = ContinuousClock.now
            let page = try await client.instances(filter, cursor: cursor, limit: Self.pageSize)
            latencies.record(ContinuousClock.now - start)
            cursor = page.nextCursor
        } while cursor != nil
        return latencies
    }

    /// Wall time of the CLI listing the whole fleet as JSON, checked to hold every instance.
    func timeCLIList(_ server: ServerProcess) async throws -> Double {
        let output = server.directory.appendingPathComponent("list.json")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wharfBinary)
        process.arguments = ["instance", "list", "--output", "json", "--url", server.url, "--token", server.token]
        process.standardOutput = try FileHandle(forWritingTo: output)
        let start = ContinuousClock.now
        try process.run()
        process.waitUntilExit()
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        let listed = try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [Any]
        guard process.terminationStatus == 0, listed?.count == instances else {
            throw BenchFailure("wharf instance list exited \(process.terminationStatus) with \(listed?.count ?? 0) of \(instances) instances")
        }
        return seconds
    }

    func log(_ line: String) { FileHandle.standardError.write(Data("[bench] \(line)\n".utf8)) }
}

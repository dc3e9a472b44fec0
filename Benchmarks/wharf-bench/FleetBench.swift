import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import WharfClient
import WharfCore

/// `wharf instance create` → the instance answers through the edge, one create after another against a
/// real `wharf serve` (release build) running real demo products (issue 5: p50 < 3 s, p99 < 6 s).
struct FleetBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fleet", abstract: "Time from creating an instance to its first answer through the edge.")

    @Option(help: "The wharf binary to run.") var wharf = ".build/release/wharf"
    @Option(help: "Instances to create, one after another.") var count = 20
    @Option(name: .customLong("database-url"), help: "PostgreSQL URL; SQLite when absent.") var databaseURL: String?
    @Flag(help: "Print the figures as JSON.") var json = false

    func run() async throws {
        let server = try await ServerProcess.start(binary: wharf, databaseURL: databaseURL)
        defer { server.stop() }
        let client = WharfClient(baseURL: server.url, token: server.token)
        _ = try await client.createCustomer(CustomerDraft(id: "bench", name: "Bench", contactEmail: "ops@bench.example.com"))
        var latencies = Latencies()
        for index in 1...count {
            let slug = "bench-\(index)"
            let started = ContinuousClock.now
            _ = try await client.createInstance(InstanceDraft(slug: slug, customerID: "bench", plan: .business, productVersion: "5.2.0", adminEmail: "admin@bench.example.com"))
            try await waitUntilReachable(slug, edgePort: server.edgePort, deadline: started + .seconds(60))
            latencies.record(ContinuousClock.now - started)
        }
        let summary = latencies.summary
        if json {
            print(String(decoding: try JSONEncoder().encode(summary), as: UTF8.self))
        } else {
            print("create → reachable through the edge, \(summary.count) creates: p50 \(Self.format(summary.p50)), p99 \(Self.format(summary.p99)), max \(Self.format(summary.max))")
            print("targets: p50 < 3000 ms \(summary.p50 < 3000 ? "met" : "MISSED"), p99 < 6000 ms \(summary.p99 < 6000 ? "met" : "MISSED")")
        }
    }

    /// Asks the edge every 10 ms until the instance answers 200.
    func waitUntilReachable(_ slug: String, edgePort: Int, deadline: ContinuousClock.Instant) async throws {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(edgePort)/-/version")
        request.headers.add(name: "Host", value: "\(slug).localhost")
        while ContinuousClock.now < deadline {
            if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(2)), response.status == .ok { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw BenchFailure("\(slug) did not answer through the edge within 60 s")
    }

    static func format(_ milliseconds: Double) -> String { String(format: "%.0f ms", milliseconds) }
}

import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The runtime benchmark of issue 4, on a release build: the same trivial JSON route on bare Hummingbird
/// and on the runtime under wrk at 64 connections (alternating rounds, compared as a ratio), the time
/// to scrape `/metrics` with 50 routes' series, and the time from process start to a healthy `/-/healthz`.
struct RuntimeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runtime", abstract: "Benchmark the runtime SDK against bare Hummingbird.")
    static let diagnosticsSecret = "bench-diagnostics-secret"

    @Option(help: "Rounds per server; rounds alternate between the two.") var rounds = 3
    @Option(help: "Seconds per wrk round.") var seconds = 10
    @Option(help: "wrk connections.") var connections = 64

    func run() async throws {
        let binary = CommandLine.arguments[0]
        var bare: [Double] = []
        var runtime: [Double] = []
        for _ in 0..<rounds {
            bare.append(try await requestsPerSecond(binary: binary, kind: "bare"))
            runtime.append(try await requestsPerSecond(binary: binary, kind: "runtime"))
        }
        let best = (bare: bare.max()!, runtime: runtime.max()!)
        print(String(format: "JSON route, %d connections, best of %d × %d s: bare Hummingbird %.0f req/s, runtime %.0f req/s, ratio %.3f (target ≥ 0.90)",
                     connections, rounds, seconds, best.bare, best.runtime, best.runtime / best.bare))
        print("  every round: bare \(bare.map { String(format: "%.0f", $0) }), runtime \(runtime.map { String(format: "%.0f", $0) })")
        let scrape = try await metricsScrape(binary: binary)
        print(String(format: "/metrics with 50 routes: p50 %.2f ms, worst %.2f ms over 200 scrapes (target < 5 ms, ratio %.2f)", scrape.p50, scrape.worst, scrape.worst / 5))
        let startup = try await startupToHealthy(binary: binary)
        print(String(format: "start-up to healthy, no database: median %.0f ms, worst %.0f ms of 10 starts (target < 300 ms, ratio %.2f)", startup.median, startup.worst, startup.worst / 300))
    }

    func requestsPerSecond(binary: String, kind: String) async throws -> Double {
        let port = Int.random(in: 20_000...40_000)
        let server = try await startServer(binary: binary, kind: kind, port: port)
        defer { server.terminate(); server.waitUntilExit() }
        _ = try await wrk(url: "http://127.0.0.1:\(port)/json", seconds: 2)
        return try await wrk(url: "http://127.0.0.1:\(port)/json", seconds: seconds)
    }

    func wrk(url: String, seconds: Int) async throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/wrk")
        process.arguments = ["-t2", "-c\(connections)", "-d\(seconds)s", url]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard let match = output.firstMatch(of: /Requests\/sec:\s+([0-9.]+)/), let value = Double(match.1) else { throw BenchFailure("wrk printed no rate:\n\(output)") }
        if output.contains("Non-2xx") { throw BenchFailure("the server answered errors under load:\n\(output)") }
        return value
    }

    func metricsScrape(binary: String) async throws -> (p50: Double, worst: Double) {
        let port = Int.random(in: 20_000...40_000)
        let server = try await startServer(binary: binary, kind: "runtime", port: port)
        defer { server.terminate(); server.waitUntilExit() }
        for index in 0..<50 { _ = try await get("http://127.0.0.1:\(port)/route-\(index)") }
        var times = Latencies()
        for _ in 0..<200 {
            let started = ContinuousClock.now
            let body = try await get("http://127.0.0.1:\(port)/metrics")
            times.record(ContinuousClock.now - started)
            guard body.contains(#"route="/route-49""#) else { throw BenchFailure("/metrics lacks the routes' series") }
        }
        return (times.percentile(50), times.percentile(100))
    }

    func startupToHealthy(binary: String) async throws -> (median: Double, worst: Double) {
        var times = Latencies()
        for _ in 0..<10 {
            let port = Int.random(in: 20_000...40_000)
            let started = ContinuousClock.now
            let server = try launch(binary: binary, kind: "runtime", port: port)
            defer { server.terminate(); server.waitUntilExit() }
            while (try? await get("http://127.0.0.1:\(port)/-/healthz", bearer: Self.diagnosticsSecret)) == nil {
                guard ContinuousClock.now - started < .seconds(10) else { throw BenchFailure("the runtime did not become healthy in 10 s") }
                try await Task.sleep(for: .milliseconds(2))
            }
            times.record(ContinuousClock.now - started)
        }
        return (times.percentile(50), times.percentile(100))
    }

    func launch(binary: String, kind: String, port: Int) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["runtime-server", "--kind", kind, "--port", String(port)]
        try process.run()
        return process
    }

    func startServer(binary: String, kind: String, port: Int) async throws -> Process {
        let process = try launch(binary: binary, kind: kind, port: port)
        let started = ContinuousClock.now
        while (try? await get("http://127.0.0.1:\(port)/json")) == nil {
            guard process.isRunning, ContinuousClock.now - started < .seconds(10) else { throw BenchFailure("the \(kind) server did not start") }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process
    }

    /// The body of a 200 response, or an error for anything else.
    func get(_ url: String, bearer: String? = nil) async throws -> String {
        var request = HTTPClientRequest(url: url)
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 16 * 1024 * 1024)
        guard response.status == .ok else { throw BenchFailure("\(url) answered \(response.status.code)") }
        return String(buffer: body)
    }
}

import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import WharfClient
import WharfCore
import WharfTesting

/// The AI gateway benchmark of issue 7, on release builds. A fake upstream runs as a process of its own
/// (`wharf-bench fake-llm`); a release `wharf serve` runs the gateway in front of it. wrk sends the same
/// non-streaming Messages call straight to the fake and through the gateway, in alternating rounds at 32
/// connections; the gateway's own `x-wharf-overhead-ms` is collected by wrk's script. Streams are timed
/// from the fake's write of the first chunk (stamped with the system's monotonic clock) to the client's
/// read, straight and through the gateway. Last, wrk runs through the gateway until 1,000,000 calls have
/// gone through it, and the server's resident memory is read.
struct GatewayBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gateway", abstract: "Benchmark the AI gateway against its fake upstream.")

    @Option(help: "The wharf binary to benchmark (a release build).") var wharf = ".build/release/wharf"
    @Option(help: "Seconds per wrk round.") var seconds = 10
    @Option(help: "Rounds of each, alternating.") var rounds = 3
    @Option(help: "wrk connections.") var connections = 32
    @Option(help: "Streams to time, one after another, each way.") var streams = 300
    @Option(help: "Calls through the gateway before memory is read (0 skips it).") var total = 1_000_000
    @Option(help: "Database URL for wharf serve (default: SQLite).") var database: String?

    static let licenceKey = "BENCH-LICENCE-KEY-0001"
    static let upstreamKey = "bench-upstream-key"
    static let body = #"{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"Say hello to the benchmark"}]}"#

    func run() async throws {
        let upstreamPort = Int.random(in: 20_000...40_000)
        let fake = Process()
        fake.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        fake.arguments = ["fake-llm", "--port", "\(upstreamPort)", "--api-key", Self.upstreamKey]
        try fake.run()
        defer { fake.terminate() }
        let upstream = "http://127.0.0.1:\(upstreamPort)"
        let server = try await ServerProcess.start(
            binary: wharf, databaseURL: database,
            environment: ["WHARF_AI_ANTHROPIC_KEY": Self.upstreamKey, "WHARF_AI_ANTHROPIC_URL": upstream, "WHARF_RECONCILE": "false"]
        )
        defer { server.stop() }
        try await prepareInstance(server)
        let gateway = "http://127.0.0.1:\(server.gatewayPort)"
        let token = GatewayToken.derive(licenceKey: Self.licenceKey)
        let work = server.directory
        let direct = try Wrk.script(in: work, name: "direct", body: Self.body, headers: ["x-api-key": Self.upstreamKey])
        let relayed = try Wrk.script(in: work, name: "gateway", body: Self.body, headers: ["authorization": "Bearer \(token)"])

        _ = try Wrk.run(url: upstream + "/v1/messages", script: direct, connections: connections, seconds: 2)
        _ = try Wrk.run(url: gateway + "/v1/messages", script: relayed, connections: connections, seconds: 2)
        var directRates: [Double] = []
        var gatewayRates: [Double] = []
        var overheads: [Double] = []
        var directCosts: [CallCost] = []
        var gatewayCosts: [CallCost] = []
        var through = 0
        let processes = (fake: fake.processIdentifier, gateway: server.process.processIdentifier)
        for _ in 0..<rounds {
            let (straight, straightCost) = try CallCost.measure(processes) {
                try Wrk.run(url: upstream + "/v1/messages", script: direct, connections: connections, seconds: seconds)
            }
            directRates.append(straight.rate)
            directCosts.append(straightCost)
            let (round, roundCost) = try CallCost.measure(processes) {
                try Wrk.run(url: gateway + "/v1/messages", script: relayed, connections: connections, seconds: seconds)
            }
            gatewayRates.append(round.rate)
            gatewayCosts.append(roundCost)
            overheads.append(round.overheadP50 ?? .nan)
            through += round.requests
        }
        let streamDirect = try await firstChunkLatencies(url: upstream + "/v1/messages", headers: ["x-api-key": Self.upstreamKey])
        let streamGateway = try await firstChunkLatencies(url: gateway + "/v1/messages", headers: ["authorization": "Bearer \(token)"])
        let idleMiB = try server.residentMiB()
        var memory = "skipped"
        if total > 0 {
            let rate = gatewayRates.max() ?? 1000
            while through < total {
                let remaining = Double(total - through)
                through += try Wrk.run(url: gateway + "/v1/messages", script: relayed, connections: connections, seconds: max(5, Int(remaining / rate * 1.05) + 1)).requests
            }
            memory = String(format: "%.1f MiB after %d calls (%.1f MiB before the long run)", try server.residentMiB(), through, idleMiB)
        }

        let medianDirect = Self.median(directRates)
        let medianGateway = Self.median(gatewayRates)
        print("AI gateway benchmark: \(connections) connections, \(rounds) rounds of \(seconds) s each way, \(database == nil ? "SQLite" : "PostgreSQL")")
        print(String(format: "  straight to the fake upstream: %.0f requests/s (rounds: %@)", medianDirect, Self.list(directRates)))
        print(String(format: "  through the gateway:           %.0f requests/s (rounds: %@)", medianGateway, Self.list(gatewayRates)))
        print(String(format: "  ratio:                         %.2f (target ≥ 0.50)", medianGateway / medianDirect))
        print("  CPU per call, median of the rounds: straight \(CallCost.median(directCosts)); through the gateway \(CallCost.median(gatewayCosts))")
        print(String(format: "  added latency p50 (x-wharf-overhead-ms): %.3f ms (rounds: %@; target < 0.5)", Self.median(overheads), Self.list(overheads, format: "%.3f")))
        print(String(format: "  first streamed chunk after it left the upstream, p50/p99: %.3f / %.3f ms through the gateway, %.3f / %.3f ms straight (target < 1 ms)",
            streamGateway.percentile(50), streamGateway.percentile(99), streamDirect.percentile(50), streamDirect.percentile(99)))
        print("  resident memory of wharf serve: \(memory) (target < 100 MB)")
    }

    /// Creates the benchmark's customer and instance, with AI gateway access and limits far above what
    /// the benchmark sends, so every window and the concurrency are still checked on every call.
    func prepareInstance(_ server: ServerProcess) async throws {
        let client = WharfClient(baseURL: server.url, token: server.token)
        _ = try await client.createCustomer(CustomerDraft(id: "bench", name: "Bench"))
        var draft = InstanceDraft(slug: "bench-prod", customerID: "bench", plan: .enterprise, productVersion: "5.2.0", adminEmail: "admin@bench.example.com")
        draft.licenceKey = Self.licenceKey
        draft.aiGatewayAccess = true
        _ = try await client.createInstance(draft)
        let huge = WindowLimits(minute: 1_000_000_000, day: 1_000_000_000, month: 1_000_000_000)
        var patch = InstancePatch()
        patch.aiGatewayLimits = GatewayLimits([.chat: FeatureLimits(requests: huge, tokens: huge, concurrency: 10_000)])
        _ = try await client.updateInstance("bench-prod", patch)
    }

    /// Streams, one at a time: from the fake's stamp on the first chunk to this process reading it.
    func firstChunkLatencies(url: String, headers: [String: String]) async throws -> Latencies {
        var latencies = Latencies()
        let body = #"{"model":"claude-sonnet-4-5","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Say hello"}]}"#
        for index in 0..<(streams + 20) {
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            request.body = .bytes(ByteBuffer(string: body))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            guard response.status == .ok else { throw BenchFailure("a stream was answered \(response.status)") }
            var first = true
            for try await chunk in response.body {
                if first, index >= 20 {
                    let read = MonotonicClock.nanoseconds()
                    let text = String(buffer: chunk)
                    guard let sent = text.firstMatch(of: /: sent-ns (\d+)/).flatMap({ UInt64($0.1) }) else { throw BenchFailure("the first chunk has no stamp: \(text)") }
                    latencies.record(.nanoseconds(Int64(read) - Int64(sent)))
                }
                first = false
            }
        }
        return latencies
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
    }

    static func list(_ values: [Double], format: String = "%.0f") -> String {
        values.map { String(format: format, $0) }.joined(separator: ", ")
    }
}

/// `wharf-bench fake-llm`: the fake upstream as a process of its own, so wrk measures it alone.
struct FakeLLMServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fake-llm", abstract: "Serve the fake LLM upstream (internal).", shouldDisplay: false)

    @Option var port: Int
    @Option(name: .customLong("api-key")) var apiKey: String

    func run() async throws {
        try await FakeLLMUpstream.with(apiKey: apiKey, port: port) { upstream in
            upstream.change {
                $0.stampChunks = true
                $0.chunkDelay = .milliseconds(2)
            }
            // Until the benchmark terminates the process.
            try await Task.sleep(for: .seconds(86_400))
        }
    }
}

import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import WharfCore
import WharfGateway
import WharfRuntime
import WharfStore
import WharfTesting

/// Two gateway replicas, each with its own connections, on one PostgreSQL database: the limits are
/// shared, so what they admit together never passes them.
@Suite("AI gateway replicas")
struct GatewayReplicaTests {
    /// `count` calls at once, spread over the replicas in turn; the answers in order.
    static func burst(_ replicas: [TestGateway], count: Int, body: String) async throws -> [GatewayRelayTests.Answer] {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = count
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        defer { _ = client.shutdown() }
        return try await withThrowingTaskGroup(of: (Int, GatewayRelayTests.Answer).self) { group in
            for index in 0..<count {
                group.addTask {
                    var request = HTTPClientRequest(url: replicas[index % replicas.count].url + UpstreamAPI.anthropic.path)
                    request.method = .POST
                    request.headers.add(name: "content-type", value: "application/json")
                    request.headers.add(name: "authorization", value: "Bearer \(TestGateway.token)")
                    request.body = .bytes(ByteBuffer(string: body))
                    let response = try await client.execute(request, timeout: .seconds(60))
                    let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
                    return (index, GatewayRelayTests.Answer(status: Int(response.status.code), headers: response.headers, body: text))
                }
            }
            var answers: [(Int, GatewayRelayTests.Answer)] = []
            for try await answer in group { answers.append(answer) }
            return answers.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    @Test("200 clients on two replicas against 100 requests a day: exactly 100 admitted, 100 refused, 100 upstream calls")
    func requestsPerDay() async throws {
        // Above the plan's per-minute and concurrency limits, so only the day's limit binds.
        let limits = GatewayLimits([.chat: FeatureLimits(requests: WindowLimits(minute: 10_000, day: 100), concurrency: 1_000)])
        try await TestGateway.replicas(2, limits: limits) { replicas in
            let answers = try await Self.burst(replicas, count: 200, body: GatewayRelayTests.chat(.anthropic))
            let statuses = Dictionary(grouping: answers, by: \.status).mapValues(\.count)
            #expect(statuses == [200: 100, 429: 100], "\(statuses)")
            #expect(replicas[0].upstream.requests == 100)
            // Both replicas admitted some: the limit was shared, not one replica's alone.
            let admittedByFirst = answers.enumerated().filter { $0.offset % 2 == 0 && $0.element.status == 200 }.count
            #expect(admittedByFirst > 0 && admittedByFirst < 100, "\(admittedByFirst)")
            for replica in replicas { await replica.flush() }
            let standing = try await replicas[1].store.gatewayStandings(slug: TestGateway.slug, limits: Plan.business.gatewayLimits.overridden(by: limits), now: Date())
            #expect(standing[.chat]?.first { $0.measure == .requests && $0.window == .day }?.used == 100)
        }
    }

    @Test("200 clients on two replicas against a token budget: admitted usage passes it by at most one reservation, and the counter is what was used")
    func tokenBudget() async throws {
        let budget = 3_000
        let limits = GatewayLimits([.chat: FeatureLimits(requests: WindowLimits(minute: 10_000), tokens: WindowLimits(day: budget), concurrency: 1_000)])
        try await TestGateway.replicas(2, limits: limits) { replicas in
            replicas[0].upstream.change { $0.replyWords = 40 }
            let body = GatewayRelayTests.chat(.anthropic, maxTokens: 50)
            let answers = try await Self.burst(replicas, count: 200, body: body)
            let admitted = answers.filter { $0.status == 200 }
            let used = admitted.reduce(0) { total, answer in
                total + (answer.json?["usage"]?["input_tokens"]?.intValue ?? 0) + (answer.json?["usage"]?["output_tokens"]?.intValue ?? 0)
            }
            let reservation = body.utf8.count / 4 + 50
            #expect(admitted.count > 10, "\(admitted.count) admitted")
            #expect(answers.count { $0.status == 429 } == 200 - admitted.count)
            #expect(used <= budget + reservation, "used \(used) of \(budget)")
            for replica in replicas { await replica.flush() }
            let standing = try await replicas[0].store.gatewayStandings(slug: TestGateway.slug, limits: Plan.business.gatewayLimits.overridden(by: limits), now: Date())
            #expect(standing[.chat]?.first { $0.measure == .tokens && $0.window == .day }?.used == used)
        }
    }

    @Test("a block one replica holds but does not use comes back: the other replica admits up to the limit, then no more")
    func idleBlockComesBack() async throws {
        let limits = GatewayLimits([.chat: FeatureLimits(requests: WindowLimits(minute: 10_000, day: 16), concurrency: 1_000)])
        try await TestGateway.replicas(2, limits: limits) { replicas in
            // The first replica's call takes a block of two (an eighth of 16) and leaves one unused.
            #expect(try await GatewayRelayTests.call(replicas[0], .anthropic, body: GatewayRelayTests.chat(.anthropic)).status == 200)
            let answers = try await Self.burst([replicas[1]], count: 15, body: GatewayRelayTests.chat(.anthropic))
            #expect(answers.allSatisfy { $0.status == 200 }, "\(answers.map(\.status))")
            let over = try await GatewayRelayTests.call(replicas[1], .anthropic, body: GatewayRelayTests.chat(.anthropic))
            #expect(over.status == 429, "\(over.body)")
            #expect(replicas[0].upstream.requests == 16)
        }
    }
}

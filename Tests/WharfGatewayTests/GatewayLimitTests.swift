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

/// Limits through the running gateway: reservations before the upstream, settlements after, and the
/// answers a client sees, on both store engines.
@Suite("AI gateway limits")
struct GatewayLimitTests {
    typealias Call = GatewayRelayTests

    static func limits(_ gateway: TestGateway) async throws -> GatewayLimitsAnswer {
        var request = HTTPClientRequest(url: gateway.url + "/v1/limits")
        request.headers.add(name: "authorization", value: "Bearer \(TestGateway.token)")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        #expect(response.status == .ok, "\(String(buffer: body))")
        return try WharfJSON.decoder().decode(GatewayLimitsAnswer.self, from: Data(body.readableBytesView))
    }

    static func standing(_ answer: GatewayLimitsAnswer, _ measure: QuotaStanding.Measure, _ window: LimitWindow?, feature: GatewayFeature = .chat) -> QuotaStanding? {
        answer.features[feature]?.limits.first { $0.measure == measure && $0.window == window }
    }

    static func chatLimits(_ limits: FeatureLimits) -> GatewayLimits { GatewayLimits([.chat: limits]) }

    @Test("requests per minute: the allowed calls count down in x-ratelimit-*, the next is a 429 in the API's format that never reaches the upstream, and the next minute admits again", arguments: TestStore.engines)
    func requestsPerMinute(engine: EngineKind) async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_795_000_050))
        let reset = Int(LimitWindow.minute.end(of: clock.now()).timeIntervalSince(clock.now()))
        try await TestGateway.with(engine, limits: Self.chatLimits(FeatureLimits(requests: WindowLimits(minute: 3))), clock: clock.now) { gateway in
            for (index, api) in [UpstreamAPI.anthropic, .openAI, .anthropic].enumerated() {
                let answer = try await Call.call(gateway, api, body: Call.chat(api))
                #expect(answer.status == 200, "\(answer.body)")
                #expect(answer.headers.first(name: "x-ratelimit-limit") == "3")
                #expect(answer.headers.first(name: "x-ratelimit-remaining") == "\(2 - index)")
                #expect(answer.headers.first(name: "x-ratelimit-reset") == "\(reset)")
            }
            for api in UpstreamAPI.allCases {
                let refused = try await Call.call(gateway, api, body: Call.chat(api))
                #expect(refused.status == 429)
                #expect(refused.headers.first(name: "retry-after") == "\(reset)")
                #expect(refused.headers.first(name: "x-ratelimit-remaining") == "0")
                #expect(refused.headers.first(name: "x-wharf-overhead-ms") != nil)
                let type = refused.json?["error"]?["type"]
                #expect(type == .string(api == .anthropic ? "rate_limit_error" : "rate_limit_exceeded"), "\(refused.body)")
                #expect(refused.body.contains("3 requests per minute"), "\(refused.body)")
            }
            #expect(gateway.upstream.requests == 3)
            // Another feature has its own counts.
            let completion = try await Call.call(gateway, .openAI, body: Call.chat(.openAI), headers: [("x-wharf-feature", "code_completion")])
            #expect(completion.status == 200)

            clock.advance(by: Double(reset))
            #expect(try await Call.call(gateway, .anthropic, body: Call.chat(.anthropic)).status == 200)
            await gateway.flush()
            let events = try await gateway.store.gatewayUsageEvents(instance: TestGateway.slug)
            #expect(events.filter { $0.status == 429 }.count == 2)
            #expect(events.filter { $0.status == 200 }.count == 5)
        }
    }

    @Test("tokens: the estimate is held while the call runs and replaced by the reported usage; a call that cannot fit is a 400", arguments: TestStore.engines)
    func tokenBudget(engine: EngineKind) async throws {
        let limits = Self.chatLimits(FeatureLimits(tokens: WindowLimits(minute: 500, day: 10_000)))
        let clock = TestClock()
        try await TestGateway.with(engine, limits: limits, clock: clock.now) { gateway in
            gateway.upstream.change { $0.holdAnswers = true }
            defer { gateway.upstream.release() }
            let held = Task { try await Call.call(gateway, .anthropic, body: Call.chat(.anthropic, maxTokens: 400)) }
            let reserved = try await Poll.until("the first call holds its estimate") {
                let used = Self.standing(try await Self.limits(gateway), .tokens, .minute)?.used ?? 0
                return used > 0 ? used : nil
            }
            #expect(reserved > 400 && reserved < 500)
            let refused = try await Call.call(gateway, .anthropic, body: Call.chat(.anthropic, maxTokens: 400))
            #expect(refused.status == 429, "\(refused.body)")
            #expect(refused.body.contains("500 tokens per minute"), "\(refused.body)")
            #expect(refused.headers.first(name: "x-ratelimit-limit-tokens") == "500")

            gateway.upstream.release()
            let first = try await held.value
            #expect(first.status == 200)
            let reported = try #require(first.json?["usage"]?["input_tokens"]?.intValue) + (try #require(first.json?["usage"]?["output_tokens"]?.intValue))
            await gateway.flush()
            let after = try await Self.limits(gateway)
            #expect(Self.standing(after, .tokens, .minute)?.used == reported)
            #expect(Self.standing(after, .tokens, .day)?.used == reported)

            let tooLarge = try await Call.call(gateway, .openAI, body: Call.chat(.openAI, maxTokens: 600))
            #expect(tooLarge.status == 400)
            #expect(tooLarge.body.contains("lower max_tokens"), "\(tooLarge.body)")
            #expect(gateway.upstream.requests == 1)
        }
    }

    @Test("models outside the instance's list are refused with the list; an upstream failure gives back the request it counted", arguments: TestStore.engines)
    func modelsAndRefunds(engine: EngineKind) async throws {
        let limits = Self.chatLimits(FeatureLimits(models: ["claude-sonnet-*", "gpt-4.1"], requests: WindowLimits(day: 10)))
        try await TestGateway.with(engine, limits: limits) { gateway in
            let refused = try await Call.call(gateway, .openAI, body: #"{"model":"gpt-5","messages":[{"role":"user","content":"hi"}]}"#)
            #expect(refused.status == 403)
            #expect(refused.body.contains("gpt-5 is not allowed for chat"), "\(refused.body)")
            #expect(refused.body.contains("claude-sonnet-*, gpt-4.1"), "\(refused.body)")
            #expect(try await Call.call(gateway, .anthropic, body: Call.chat(.anthropic)).status == 200)

            gateway.upstream.change { $0.failure = 500 }
            #expect(try await Call.call(gateway, .anthropic, body: Call.chat(.anthropic)).status == 503)
            await gateway.flush()
            let answer = try await Self.limits(gateway)
            #expect(Self.standing(answer, .requests, .day)?.used == 1)
            #expect(answer.features[.chat]?.models == ["claude-sonnet-*", "gpt-4.1"])
            // The plan's limits stand where the instance sets none.
            #expect(Self.standing(answer, .requests, .minute)?.limit == Plan.business.gatewayLimits[.chat].requests?.minute)
        }
    }

    @Test("concurrency: a stream holds its slot while it runs, and gives it back when the client goes away mid-stream, with what it used settled", arguments: TestStore.engines)
    func concurrencyAndDisconnect(engine: EngineKind) async throws {
        try await TestGateway.with(engine, limits: Self.chatLimits(FeatureLimits(concurrency: 1))) { gateway in
            gateway.upstream.change {
                $0.replyWords = 40
                $0.chunkDelay = .milliseconds(100)
            }
            let port = try #require(URL(string: gateway.url)?.port)
            do {
                let connection = try RawConnection(port: port)
                let body = Call.chat(.anthropic, stream: true)
                try connection.send(
                    "POST /v1/messages HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer \(TestGateway.token)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
                )
                _ = try await RawConnection.offPool { try connection.read(through: "content_block_delta") }
                let second = try await Call.call(gateway, .anthropic, body: Call.chat(.anthropic))
                #expect(second.status == 429, "\(second.body)")
                #expect(second.body.contains("1 requests in flight"), "\(second.body)")
                #expect(second.headers.first(name: "retry-after") == "1")
            }
            // The connection is closed: the gateway notices at its next write and settles.
            let event = try await Poll.until("the cut stream is settled") {
                await gateway.flush()
                return try await gateway.store.gatewayUsageEvents(instance: TestGateway.slug).first { $0.streamed }
            }
            #expect(event.completionTokens > 0 && event.completionTokens < 40, "\(event)")
            #expect(event.usageCounted, "the upstream's count never arrived, so the deltas were counted")
            // The ledger's own loop may have written the event before the flush above gave back the slot.
            await gateway.flush()
            #expect(Self.standing(try await Self.limits(gateway), .concurrency, nil)?.used == 0)
            #expect(try await Call.call(gateway, .anthropic, body: Call.chat(.anthropic)).status == 200)
            // The cut stream counts as an answer ended, so nothing stays in flight in the metrics.
            let metrics = gateway.metricsText
            for series in [
                #"wharf_gateway_requests_total{route="/v1/messages",status="200"} 2"#, #"wharf_gateway_requests_total{route="/v1/messages",status="429"} 1"#,
                #"wharf_gateway_requests_in_flight 0.0"#,
            ] {
                #expect(metrics.contains(series + "\n"), "\(series) in:\n\(metrics)")
            }
        }
    }

    @Test("a replica that dies holding a slot: the slot is held until its lease runs out, then free", arguments: TestStore.engines)
    func deadReplicaLease(engine: EngineKind) async throws {
        let clock = TestClock()
        try await TestGateway.with(engine, limits: Self.chatLimits(FeatureLimits(concurrency: 1)), clock: clock.now) { gateway in
            _ = try await gateway.store.takeGatewayBlocks(GatewayBlockRequest(
                slug: TestGateway.slug, feature: .chat, limits: FeatureLimits(concurrency: 1), estimatedTokens: 10, windows: [], slots: 1, replica: "dead",
                generation: 1, leaseUntil: clock.now().addingTimeInterval(60), now: clock.now()
            ))
            #expect(try await Call.call(gateway, .anthropic, body: Call.chat(.anthropic)).status == 429)
            clock.advance(by: 59)
            #expect(try await Call.call(gateway, .anthropic, body: Call.chat(.anthropic)).status == 429)
            clock.advance(by: 1)
            #expect(try await Call.call(gateway, .anthropic, body: Call.chat(.anthropic)).status == 200)
        }
    }
}

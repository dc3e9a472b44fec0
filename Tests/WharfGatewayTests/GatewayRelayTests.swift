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

/// The gateway relaying to the fake upstream over real HTTP on loopback, on both store engines.
@Suite("AI gateway relay")
struct GatewayRelayTests {
    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var body: String
        var json: JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: Data(body.utf8)) }
    }

    static func call(
        _ gateway: TestGateway, _ api: UpstreamAPI, body: String, token: String? = TestGateway.token, contentType: String = "application/json",
        headers extra: [(String, String)] = []
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: gateway.url + api.path)
        request.method = .POST
        request.headers.add(name: "content-type", value: contentType)
        if let token { request.headers.add(name: "authorization", value: "Bearer \(token)") }
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        return Answer(status: Int(response.status.code), headers: response.headers, body: text)
    }

    static func chat(_ api: UpstreamAPI, stream: Bool = false, maxTokens: Int = 100) -> String {
        #"{"model":"\#(api == .anthropic ? "claude-sonnet-4-5" : "gpt-4.1")","max_tokens":\#(maxTokens),"stream":\#(stream),"messages":[{"role":"user","content":"Say hello"}]}"#
    }

    @Test("both APIs, not streaming: the provider's answer with its usage, and the gateway's overhead", arguments: TestStore.engines)
    func nonStreaming(engine: EngineKind) async throws {
        try await TestGateway.with(engine) { gateway in
            for api in UpstreamAPI.allCases {
                let started = ContinuousClock.now
                let answer = try await Self.call(gateway, api, body: Self.chat(api))
                let whole = ContinuousClock.now - started
                #expect(answer.status == 200, "\(api): \(answer.body)")
                let usage = answer.json?["usage"]
                #expect(usage?[api == .anthropic ? "output_tokens" : "completion_tokens"] == 8, "\(answer.body)")
                // Its own share of the call: never more than the whole call the client timed.
                let overhead = try #require(answer.headers.first(name: "x-wharf-overhead-ms").flatMap(Double.init))
                #expect(overhead > 0 && .milliseconds(overhead) <= whole, "\(overhead) ms of \(whole)")
                #expect(answer.headers.first(name: "x-request-id") != nil)
            }
            #expect(gateway.upstream.requests == 2)
        }
    }

    @Test("both APIs, streaming: every event relayed as it comes, usage included on OpenAI streams", arguments: TestStore.engines)
    func streaming(engine: EngineKind) async throws {
        try await TestGateway.with(engine) { gateway in
            gateway.upstream.change { $0.replyWords = 3 }
            for api in UpstreamAPI.allCases {
                let answer = try await Self.call(gateway, api, body: Self.chat(api, stream: true))
                #expect(answer.status == 200)
                #expect(answer.headers.first(name: "content-type") == "text/event-stream")
                #expect(answer.headers.first(name: "x-wharf-overhead-ms") != nil)
                let text = answer.body
                #expect(text.contains("word0") && text.contains(" word2"), "\(text)")
                if api == .openAI {
                    // The gateway asked for usage although the client did not.
                    #expect(text.contains(#""completion_tokens":3"#) && text.hasSuffix("data: [DONE]\n\n"), "\(text)")
                } else {
                    #expect(text.contains("event: message_stop"))
                }
            }
        }
    }

    @Test("a stream is relayed chunk by chunk: the first chunk arrives long before the upstream finishes")
    func streamIsNotBuffered() async throws {
        try await TestGateway.with(.sqlite) { gateway in
            gateway.upstream.change {
                $0.replyWords = 2
                $0.chunkDelay = .milliseconds(400)
            }
            var request = HTTPClientRequest(url: gateway.url + UpstreamAPI.anthropic.path)
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            request.headers.add(name: "authorization", value: "Bearer \(TestGateway.token)")
            request.body = .bytes(ByteBuffer(string: Self.chat(.anthropic, stream: true)))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            var arrivals: [ContinuousClock.Instant] = []
            for try await _ in response.body { arrivals.append(.now) }
            // 7 events, 400 ms apart at the upstream: relayed as they come, they arrive spread over seconds.
            #expect(arrivals.count >= 3)
            #expect(arrivals.last! - arrivals.first! > .seconds(1))
        }
    }

    @Test("tokens: missing, malformed and unknown are 401; no access, suspended and deleted are 403 saying which", arguments: TestStore.engines)
    func authentication(engine: EngineKind) async throws {
        try await TestGateway.with(engine, access: false) { gateway in
            let body = Self.chat(.anthropic)
            let missing = try await Self.call(gateway, .anthropic, body: body, token: nil)
            #expect(missing.status == 401 && missing.json?["error"]?["type"] == "authentication_error")
            #expect(try await Self.call(gateway, .anthropic, body: body, token: "sk-ant-123").status == 401)
            let unknown = try await Self.call(gateway, .openAI, body: Self.chat(.openAI), token: GatewayToken.derive(licenceKey: "SOMEONE-ELSES-KEY"))
            #expect(unknown.status == 401 && unknown.json?["error"]?["code"] == "invalid_api_key", "\(unknown.body)")

            let disabled = try await Self.call(gateway, .anthropic, body: body)
            #expect(disabled.status == 403)
            #expect(disabled.body.contains("AI gateway access is not enabled for the instance acme-prod"))

            _ = try await gateway.store.updateInstance(slug: "acme-prod", InstancePatch(aiGatewayAccess: true), actor: Fixtures.operatorActor)
            #expect(try await Self.call(gateway, .anthropic, body: body).status == 200)
            for event in [LifecycleEvent.startProvisioning, .provisioned, .suspend] {
                _ = try await gateway.store.applyEvent(slug: "acme-prod", InstanceEventRequest(event: event), actor: .system)
            }
            let suspended = try await Self.call(gateway, .anthropic, body: body)
            #expect(suspended.status == 403 && suspended.body.contains("the instance acme-prod is suspended"))
            _ = try await gateway.store.applyEvent(slug: "acme-prod", InstanceEventRequest(event: .tearDown, confirm: "acme-prod"), actor: .system)
            let deleted = try await Self.call(gateway, .anthropic, body: body)
            #expect(deleted.status == 403 && deleted.body.contains("is deleted"), "\(deleted.body)")
            #expect(gateway.upstream.requests == 1)
        }
    }

    @Test("bad requests get clear 4xx errors in the called API's format and never reach the upstream")
    func badRequests() async throws {
        try await TestGateway.with(.sqlite, configure: { $0.maxBodyBytes = 2048 }) { gateway in
            let wrongType = try await Self.call(gateway, .anthropic, body: Self.chat(.anthropic), contentType: "text/plain")
            #expect(wrongType.status == 415 && wrongType.json?["type"] == "error" && wrongType.json?["error"]?["type"] == "invalid_request_error")
            let malformed = try await Self.call(gateway, .openAI, body: "{\"model\": ")
            #expect(malformed.status == 400 && malformed.json?["error"]?["type"] == "invalid_request_error")
            let noMaxTokens = try await Self.call(gateway, .anthropic, body: #"{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"hi"}]}"#)
            #expect(noMaxTokens.status == 400 && noMaxTokens.body.contains("max_tokens: field required"))
            let noModel = try await Self.call(gateway, .openAI, body: #"{"messages":[{"role":"user","content":"hi"}]}"#)
            #expect(noModel.status == 400 && noModel.body.contains("model: field required"))
            let oversized = try await Self.call(gateway, .anthropic, body: Self.chat(.anthropic).replacingOccurrences(of: "Say hello", with: String(repeating: "x", count: 4096)))
            #expect(oversized.status == 413 && oversized.body.contains("larger than 2048 bytes"))
            let feature = try await Self.call(gateway, .anthropic, body: Self.chat(.anthropic), headers: [("x-wharf-feature", "poetry")])
            #expect(feature.status == 400 && feature.body.contains("X-Wharf-Feature must be one of chat, code_completion, embeddings"))
            // Every error names the request, so support can find it.
            #expect(malformed.body.contains("(request req_"))
            #expect(gateway.upstream.requests == 0)
        }
    }

    @Test("an upstream 429 or 5xx is a 503 with retry-after: the provider's quota is everyone's")
    func upstreamTrouble() async throws {
        try await TestGateway.with(.sqlite) { gateway in
            gateway.upstream.change { $0.failure = 429 }
            let limited = try await Self.call(gateway, .openAI, body: Self.chat(.openAI))
            #expect(limited.status == 503 && limited.headers.first(name: "retry-after") == "7")
            gateway.upstream.change { $0.failure = 500 }
            let failing = try await Self.call(gateway, .anthropic, body: Self.chat(.anthropic))
            #expect(failing.status == 503 && failing.headers.first(name: "retry-after") == "5")
            #expect(failing.json?["error"]?["type"] == "overloaded_error")
            let metrics = gateway.metricsText
            #expect(metrics.contains(#"wharf_gateway_upstream_errors_total{api="openai",kind="busy"} 1"# + "\n"), "\(metrics)")
            #expect(metrics.contains(#"wharf_gateway_upstream_errors_total{api="anthropic",kind="busy"} 1"# + "\n"), "\(metrics)")
            #expect(metrics.contains(#"wharf_gateway_requests_total{route="/v1/messages",status="503"} 1"# + "\n"), "\(metrics)")
        }
    }

    @Test("HTTP/1.1 as clients speak it: pipelined calls answered in order, 100-continue, Connection: close, 404 and 405")
    func http11() async throws {
        try await TestGateway.with(.sqlite) { gateway in
            let port = try #require(URL(string: gateway.url)?.port)
            let body = Self.chat(.anthropic)
            func request(_ id: String, close: Bool = false) -> String {
                "POST /v1/messages HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer \(TestGateway.token)\r\nContent-Type: application/json\r\n"
                    + "x-request-id: \(id)\r\n\(close ? "Connection: close\r\n" : "")Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
            }
            let pipelined = try RawConnection(port: port)
            try pipelined.send(request("first") + request("second", close: true))
            let both = try await RawConnection.offPool { try pipelined.readToEnd() }
            let first = try #require(both.range(of: "x-request-id: first"))
            let second = try #require(both.range(of: "x-request-id: second"), "the connection closed after the second answer:\n\(both)")
            #expect(first.lowerBound < second.lowerBound)
            #expect(both.components(separatedBy: "HTTP/1.1 200 OK").count == 3, "\(both)")
            #expect(both.contains("connection: close"))

            let continuing = try RawConnection(port: port)
            let head = request("continued", close: true).components(separatedBy: "\r\n\r\n")[0]
            try continuing.send(head + "\r\nExpect: 100-continue\r\n\r\n")
            _ = try await RawConnection.offPool { try continuing.read(through: "100 Continue\r\n\r\n") }
            try continuing.send(body)
            let continued = try await RawConnection.offPool { try continuing.readToEnd() }
            #expect(continued.hasPrefix("HTTP/1.1 200 OK") && continued.contains(#""output_tokens""#), "\(continued)")

            for (method, path, status) in [("GET", "/v1/messages", "405"), ("GET", "/v2/anything", "404"), ("POST", "/v1/limits", "405")] {
                let other = try RawConnection(port: port)
                try other.send("\(method) \(path) HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
                let answer = try await RawConnection.offPool { try other.readToEnd() }
                #expect(answer.hasPrefix("HTTP/1.1 \(status)"), "\(method) \(path): \(answer)")
                #expect(answer.contains(#""error":{"#), "in an API's error format: \(answer)")
            }
            #expect(gateway.upstream.requests == 3)
        }
    }

    @Test("an https provider: calls go over TLS to a certificate the gateway trusts (WHARF_AI_CA_FILE), and never to one it does not")
    func httpsProvider() async throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "wharf-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificate = try await RawConnection.offPool { try TestCertificate.make(in: directory) }
        let tls = try certificate.serverConfiguration()
        try await TestGateway.with(.sqlite, upstreamTLS: tls, configure: { $0.providerCAFile = certificate.certificatePath }) { gateway in
            #expect(gateway.upstream.baseURL.hasPrefix("https://localhost:"))
            let whole = try await Self.call(gateway, .anthropic, body: Self.chat(.anthropic))
            #expect(whole.status == 200 && whole.json?["usage"]?["output_tokens"] != nil, "\(whole.body)")
            let streamed = try await Self.call(gateway, .openAI, body: Self.chat(.openAI, stream: true))
            #expect(streamed.status == 200 && streamed.body.contains("data: [DONE]"), "\(streamed.body)")
            #expect(gateway.upstream.requests == 2)
        }
        try await TestGateway.with(.sqlite, upstreamTLS: tls) { gateway in
            let refused = try await Self.call(gateway, .anthropic, body: Self.chat(.anthropic))
            #expect(refused.status == 503 && refused.body.contains("could not be reached"), "a certificate nobody vouches for: \(refused.body)")
            #expect(gateway.upstream.requests == 0)
        }
    }
}

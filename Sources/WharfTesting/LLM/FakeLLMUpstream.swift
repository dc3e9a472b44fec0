import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOFoundationCompat
import NIOSSL
import Synchronization

/// An honest stand-in for an LLM provider (none is reachable here): it speaks Anthropic Messages
/// (`POST /v1/messages`, key in `x-api-key`) and OpenAI Chat Completions (`POST /v1/chat/completions`, key
/// as a bearer token), streaming (SSE) and not, reports usage as they do (OpenAI streams only when asked
/// with `stream_options.include_usage`), and can be told to be slow, to fail or to rate-limit.
public final class FakeLLMUpstream: Sendable {
    public let port: Int
    public let apiKey: String
    public let baseURL: String
    let control: Control

    init(port: Int, apiKey: String, baseURL: String, control: Control) {
        self.port = port
        self.apiKey = apiKey
        self.baseURL = baseURL
        self.control = control
    }

    /// Requests that reached the upstream (with a valid key).
    public var requests: Int { control.state.withLock { $0.requests } }
    public func change(_ update: (inout FakeLLMBehaviour) -> Void) { control.state.withLock { update(&$0.behaviour) } }

    /// Stops holding answers and lets the held ones go.
    public func release() {
        let held = control.state.withLock { state in
            state.behaviour.holdAnswers = false
            defer { state.held = [] }
            return state.held
        }
        for answer in held { answer.resume() }
    }

    /// Runs the upstream on loopback (a free port unless `port` is given) for the duration of `body`; over
    /// HTTPS as `localhost` when given a TLS configuration, as the real providers are.
    public static func with<T: Sendable>(
        apiKey: String = "upstream-test-key", port fixedPort: Int = 0, tls: TLSConfiguration? = nil, _ body: (FakeLLMUpstream) async throws -> T
    ) async throws -> T {
        let control = Control(apiKey: apiKey)
        let (ports, port) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "wharf.test.fake-llm")
        logger.logLevel = .error
        let app = Application(
            router: control.router(), server: try tls.map { try .tls(tlsConfiguration: $0) } ?? .http1(),
            configuration: .init(address: .hostname("127.0.0.1", port: fixedPort), serverName: "fake-llm"),
            onServerRunning: { channel in port.yield(channel.localAddress?.port ?? 0) }, logger: logger
        )
        return try await ListeningService.run("fake-llm", app, ports: ports, port: port) { bound in
            let baseURL = tls == nil ? "http://127.0.0.1:\(bound)" : "https://localhost:\(bound)"
            return try await body(FakeLLMUpstream(port: bound, apiKey: apiKey, baseURL: baseURL, control: control))
        }
    }

    /// The behaviour and counters the routes share with the test.
    final class Control: Sendable {
        struct State {
            var behaviour = FakeLLMBehaviour()
            var requests = 0
            var held: [CheckedContinuation<Void, Never>] = []
        }
        let apiKey: String
        let state = Mutex(State())

        init(apiKey: String) { self.apiKey = apiKey }

        enum API { case anthropic, openAI }

        func router() -> Router<BasicRequestContext> {
            let router = Router()
            router.post("/v1/messages") { request, _ in try await self.answer(request, api: .anthropic) }
            router.post("/v1/chat/completions") { request, _ in try await self.answer(request, api: .openAI) }
            return router
        }

        func answer(_ request: Request, api: API) async throws -> Response {
            let presented = api == .anthropic ? request.headers[.init("x-api-key")!] : request.headers[.authorization].map { String($0.dropFirst("Bearer ".count)) }
            guard presented == apiKey else { return Self.error(401, api: api, retryAfter: nil) }
            let behaviour = state.withLock { state in
                state.requests += 1
                return state.behaviour
            }
            let data = Data(buffer: try await request.body.collect(upTo: 16 << 20))
            guard let body = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any], let model = body["model"] as? String else {
                return Self.error(400, api: api, retryAfter: nil)
            }
            if behaviour.holdAnswers {
                await withCheckedContinuation { answer in
                    let stillHeld = state.withLock { state in
                        if state.behaviour.holdAnswers { state.held.append(answer) }
                        return state.behaviour.holdAnswers
                    }
                    if !stillHeld { answer.resume() }
                }
            }
            if behaviour.delay > .zero { try await Task.sleep(for: behaviour.delay) }
            if let status = behaviour.failure { return Self.error(status, api: api, retryAfter: status == 429 ? behaviour.retryAfterSeconds : nil) }
            let maxTokens = (body["max_tokens"] as? Int) ?? (body["max_completion_tokens"] as? Int) ?? behaviour.replyWords
            let words = FakeLLMReply.words(min(behaviour.replyWords, maxTokens))
            let input = FakeLLMReply.promptTokens(body)
            guard body["stream"] as? Bool == true else {
                let text = api == .anthropic ? FakeLLMReply.anthropicMessage(model: model, words: words, input: input) : FakeLLMReply.openAICompletion(model: model, words: words, input: input)
                return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
            }
            let askedForUsage = ((body["stream_options"] as? [String: Any])?["include_usage"] as? Bool) == true
            let events = api == .anthropic
                ? FakeLLMReply.anthropicEvents(model: model, words: words, input: input, usage: !behaviour.omitStreamUsage)
                : FakeLLMReply.openAIChunks(model: model, words: words, input: input, usage: askedForUsage && !behaviour.omitStreamUsage)
            return Response(
                status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                body: ResponseBody { writer in
                    for (index, event) in events.enumerated() {
                        if index > 0, behaviour.chunkDelay > .zero { try await Task.sleep(for: behaviour.chunkDelay) }
                        try await writer.write(ByteBuffer(string: behaviour.stampChunks ? ": sent-ns \(MonotonicClock.nanoseconds())\n\(event)" : event))
                    }
                    try await writer.finish(nil)
                }
            )
        }

        static func error(_ status: Int, api: API, retryAfter: Int?) -> Response {
            var headers: HTTPFields = [.contentType: "application/json"]
            if let retryAfter { headers[.retryAfter] = "\(retryAfter)" }
            let text = api == .anthropic ? FakeLLMReply.anthropicError(status) : FakeLLMReply.openAIError(status)
            return Response(status: .init(code: status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
    }
}

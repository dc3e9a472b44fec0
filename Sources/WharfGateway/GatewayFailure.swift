import NIOCore
import NIOHTTP1

/// A request the gateway answers itself, with a status, the API's error type, a message that says what
/// to do, and `retry-after` when waiting helps. Rendered in the called API's error format.
struct GatewayFailure: Error, Sendable {
    var status: HTTPResponseStatus
    /// Anthropic's error type; OpenAI's is derived from it.
    var type: String
    var message: String
    var retryAfter: Int?
    var headers = HTTPHeaders()
    /// The call, once its body was read: its refusal is recorded as a usage event.
    var call: GatewayCall?

    init(_ status: HTTPResponseStatus, _ type: String, _ message: String, retryAfter: Int? = nil) {
        self.status = status
        self.type = type
        self.message = message
        self.retryAfter = retryAfter
    }

    static func authentication(_ message: String) -> Self { Self(.unauthorized, "authentication_error", message) }
    static func permission(_ message: String) -> Self { Self(.forbidden, "permission_error", message) }
    static func invalid(_ message: String) -> Self { Self(.badRequest, "invalid_request_error", message) }
    static func notFound(_ message: String) -> Self { Self(.notFound, "not_found_error", message) }

    func recording(_ call: GatewayCall) -> Self {
        var failure = self
        failure.call = call
        return failure
    }

    func reply(api: UpstreamAPI, requestID: String) -> GatewayReply {
        var headers = headers
        headers.replaceOrAdd(name: "content-type", value: "application/json")
        headers.replaceOrAdd(name: "x-request-id", value: requestID)
        if let retryAfter { headers.replaceOrAdd(name: "retry-after", value: "\(retryAfter)") }
        let type = api == .openAI ? Self.openAIType[self.type] ?? self.type : self.type
        return GatewayReply(status: status, headers: headers, body: ByteBuffer(string: api.errorBody(type: type, message: "\(message) (request \(requestID))")))
    }

    private static let openAIType = [
        "authentication_error": "invalid_api_key", "permission_error": "permission_denied", "rate_limit_error": "rate_limit_exceeded",
        "overloaded_error": "service_unavailable", "request_too_large": "request_too_large",
    ]
}

/// A whole answer the gateway writes itself: an error, or the instance's limits.
struct GatewayReply: Sendable {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var body: ByteBuffer
}

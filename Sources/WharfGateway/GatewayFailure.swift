import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// A request the gateway answers itself, with a status, the API's error type, a message that says what
/// to do, and `retry-after` when waiting helps. Rendered in the called API's error format.
struct GatewayFailure: Error, Sendable {
    var status: HTTPResponse.Status
    /// Anthropic's error type; OpenAI's is derived from it.
    var type: String
    var message: String
    var retryAfter: Int?
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ type: String, _ message: String, retryAfter: Int? = nil) {
        self.status = status
        self.type = type
        self.message = message
        self.retryAfter = retryAfter
    }

    static func authentication(_ message: String) -> Self { Self(.unauthorized, "authentication_error", message) }
    static func permission(_ message: String) -> Self { Self(.forbidden, "permission_error", message) }
    static func invalid(_ message: String) -> Self { Self(.badRequest, "invalid_request_error", message) }
    static func notFound(_ message: String) -> Self { Self(.notFound, "not_found_error", message) }

    func response(api: UpstreamAPI, requestID: String) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        headers[HTTPField.Name("x-request-id")!] = requestID
        if let retryAfter { headers[.retryAfter] = "\(retryAfter)" }
        let type = api == .openAI ? Self.openAIType[self.type] ?? self.type : self.type
        let body = api.errorBody(type: type, message: "\(message) (request \(requestID))")
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    private static let openAIType = [
        "authentication_error": "invalid_api_key", "permission_error": "permission_denied", "rate_limit_error": "rate_limit_exceeded",
        "overloaded_error": "service_unavailable", "request_too_large": "request_too_large",
    ]
}

import HTTPTypes
import Hummingbird
import Logging

/// Ties each request to what came before and after it: a request id (the caller's `X-Request-Id` when it
/// is sensible, a new one otherwise) and a W3C trace context continued from `traceparent`. Both go into
/// the logger's metadata (`request_id`, `trace_id`, `span_id`) and back in the response headers.
struct CorrelationMiddleware: RouterMiddleware {
    typealias Context = RuntimeRequestContext
    static let requestIDHeader = HTTPField.Name("X-Request-Id")!
    static let traceparentHeader = HTTPField.Name("traceparent")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let id = request.headers[Self.requestIDHeader].flatMap { Self.isSensible($0) ? $0 : nil } ?? TraceContext.randomHex(bytes: 8)
        let trace = TraceContext(continuing: request.headers[Self.traceparentHeader])
        context.requestID = id
        context.trace = trace
        context.logger[metadataKey: "request_id"] = .string(id)
        context.logger[metadataKey: "trace_id"] = .string(trace.traceID)
        context.logger[metadataKey: "span_id"] = .string(trace.spanID)
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[Self.requestIDHeader] = id
        response.headers[Self.traceparentHeader] = trace.header
        return response
    }

    /// Up to 128 visible ASCII characters, so a caller cannot inject into logs or headers.
    static func isSensible(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count) && id.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }
}

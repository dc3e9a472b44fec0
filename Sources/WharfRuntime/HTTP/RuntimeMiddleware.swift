import HTTPTypes
import Hummingbird
import Logging
import Prometheus
import Tracing

/// Everything the runtime does around each request, in one middleware because each layer of async
/// middleware costs a measurable share of a trivial route's throughput (scripts/bench/runtime):
///
/// - a request id: the caller's `X-Request-Id` when it is sensible, a new one otherwise;
/// - a W3C trace context continued from `traceparent`, with this request as a new span;
/// - both in the logger's metadata (`request_id`, `trace_id`) and in the response headers, and a
///   `request served` line at debug level;
/// - request count and latency per route, method and status, and the requests in flight, in the
///   service's Prometheus registry (`HTTPServerMetrics`).
final class RuntimeMiddleware: RouterMiddleware {
    typealias Context = RuntimeRequestContext
    static let requestIDHeader = HTTPField.Name("X-Request-Id")!
    static let traceparentHeader = HTTPField.Name("traceparent")!

    let metrics: HTTPServerMetrics
    let tracing: RequestTracing?

    init(registry: PrometheusCollectorRegistry, tracing: RequestTracing?) {
        metrics = HTTPServerMetrics(registry: registry)
        self.tracing = tracing
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        metrics.began()
        var context = context
        let id = request.headers[Self.requestIDHeader].flatMap { RequestID.isSensible($0) ? $0 : nil } ?? FastIdentifier.hex(words: 1)
        let span = tracing?.start(request)
        let trace = span?.trace ?? TraceContext(continuing: request.headers[Self.traceparentHeader])
        context.requestID = id
        context.trace = trace
        context.logger[metadataKey: "request_id"] = .string(id)
        context.logger[metadataKey: "trace_id"] = .string(trace.traceID)
        var response: Response
        do {
            if let span {
                response = try await ServiceContext.$current.withValue(span.span.context) { try await next(request, context) }
            } else {
                response = try await next(request, context)
            }
        } catch let error as any HTTPResponseError {
            response = (try? error.response(from: request, context: context)) ?? Response(status: error.status)
        } catch {
            metrics.served(route: context.endpointPath, method: request.method, status: 500, since: started)
            if let span { RequestTracing.finish(span.span, route: context.endpointPath, method: request.method, status: 500) }
            throw error
        }
        metrics.served(route: context.endpointPath, method: request.method, status: response.status.code, since: started)
        context.logger.debug(
            "request served",
            metadata: ["method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "status": "\(response.status.code)", "route": "\(context.endpointPath ?? "")"]
        )
        if let span { RequestTracing.finish(span.span, route: context.endpointPath, method: request.method, status: response.status.code) }
        response.headers[Self.requestIDHeader] = id
        response.headers[Self.traceparentHeader] = trace.header
        return response
    }
}

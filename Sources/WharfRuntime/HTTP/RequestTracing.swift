import HTTPTypes
import Hummingbird
import Tracing

/// OpenTelemetry spans for requests, when `OTEL_EXPORTER_OTLP_ENDPOINT` is set: each request is a server
/// span, a child of the caller's `traceparent`. The tracer is the service's own (not the process-global
/// one), so several services in one process, as in tests, each export their own spans.
struct RequestTracing: Sendable {
    let tracer: any Tracer

    /// Starts the request's span and returns it with the trace context it carries.
    func start(_ request: Request) -> (span: any Span, trace: TraceContext) {
        var context = ServiceContext.topLevel
        tracer.extract(request.headers, into: &context, using: HeaderCarrier())
        let span = tracer.startSpan("\(request.method.rawValue) route not found", context: context, ofKind: .server)
        span.attributes["http.request.method"] = request.method.rawValue
        span.attributes["url.path"] = request.uri.path
        var carrier = HTTPFields()
        tracer.inject(span.context, into: &carrier, using: HeaderCarrier())
        let trace = carrier[RuntimeMiddleware.traceparentHeader].flatMap(TraceContext.init(header:))
            ?? TraceContext(continuing: request.headers[RuntimeMiddleware.traceparentHeader])
        return (span, trace)
    }

    /// Names the span after the matched route and ends it with the outcome.
    static func finish(_ span: any Span, route: String?, method: HTTPRequest.Method, status: Int) {
        if let route { span.operationName = "\(method.rawValue) \(route)" }
        span.attributes["http.route"] = route
        span.attributes["http.response.status_code"] = status
        if status >= 500 { span.setStatus(SpanStatus(code: .error)) }
        span.end()
    }
}

/// Reads and writes trace headers for the tracer's propagator.
struct HeaderCarrier: Extractor, Injector {
    func extract(key: String, from headers: HTTPFields) -> String? {
        HTTPField.Name(key).flatMap { headers[$0] }
    }

    func inject(_ value: String, forKey key: String, into headers: inout HTTPFields) {
        if let name = HTTPField.Name(key) { headers[name] = value }
    }
}

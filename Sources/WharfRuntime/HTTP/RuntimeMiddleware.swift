import HTTPTypes
import Hummingbird
import Logging
import Prometheus
import Synchronization
import Tracing

/// Everything the runtime does around each request, in one middleware because each layer of async
/// middleware costs a measurable share of a trivial route's throughput (scripts/bench/runtime):
///
/// - a request id: the caller's `X-Request-Id` when it is sensible, a new one otherwise;
/// - a W3C trace context continued from `traceparent`, with this request as a new span;
/// - both in the logger's metadata (`request_id`, `trace_id`) and in the response headers, and a
///   `request served` line at debug level;
/// - request count and latency per route, method and status, and the requests in flight, in the
///   service's Prometheus registry. The route is the matched pattern (`/notes/{id}`), never the raw
///   path, so the number of series stays bounded.
final class RuntimeMiddleware: RouterMiddleware {
    typealias Context = RuntimeRequestContext
    static let requestIDHeader = HTTPField.Name("X-Request-Id")!
    static let traceparentHeader = HTTPField.Name("traceparent")!

    struct SeriesKey: Hashable {
        var route: String
        var method: HTTPRequest.Method
        var status: Int
    }

    struct Series {
        var count: Counter
        var duration: DurationHistogram
    }

    static let buckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]

    let registry: PrometheusCollectorRegistry
    let tracing: RequestTracing?
    let inFlight: Gauge
    /// Handles by series: the registry's own lookup builds label strings on every call.
    private let series = Mutex<[SeriesKey: Series]>([:])

    init(registry: PrometheusCollectorRegistry, tracing: RequestTracing?) {
        self.registry = registry
        self.tracing = tracing
        inFlight = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "http", subsystem: "server", metricName: "requests", unitName: "in_flight", helpText: "HTTP requests being served now"
            )
        )
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        inFlight.increment()
        defer { inFlight.decrement() }
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
            response = try error.response(from: request, context: context)
        } catch {
            record(request, context, status: 500, since: started)
            if let span { RequestTracing.finish(span.span, route: context.endpointPath, method: request.method, status: 500) }
            throw error
        }
        record(request, context, status: response.status.code, since: started)
        context.logger.debug(
            "request served",
            metadata: ["method": "\(request.method.rawValue)", "path": "\(request.uri.path)", "status": "\(response.status.code)", "route": "\(context.endpointPath ?? "")"]
        )
        if let span { RequestTracing.finish(span.span, route: context.endpointPath, method: request.method, status: response.status.code) }
        response.headers[Self.requestIDHeader] = id
        response.headers[Self.traceparentHeader] = trace.header
        return response
    }

    private func record(_ request: Request, _ context: Context, status: Int, since started: ContinuousClock.Instant) {
        let key = SeriesKey(route: context.endpointPath ?? "unmatched", method: request.method, status: status)
        let handles = series.withLock { cache in
            if let existing = cache[key] { return existing }
            let labels = [("route", key.route), ("method", key.method.rawValue), ("status", String(key.status))]
            let made = Series(
                count: registry.makeCounter(descriptor: Self.countName, labels: labels),
                duration: registry.makeDurationHistogram(descriptor: Self.durationName, labels: labels, buckets: Self.buckets)
            )
            cache[key] = made
            return made
        }
        handles.count.increment()
        handles.duration.record(ContinuousClock.now - started)
    }

    static var countName: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "http", subsystem: "server", metricName: "requests", unitName: "total", helpText: "HTTP requests served, by route, method and status"
        )
    }

    static var durationName: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "http", subsystem: "server", metricName: "request_duration", unitName: "seconds", helpText: "Time to serve an HTTP request"
        )
    }
}

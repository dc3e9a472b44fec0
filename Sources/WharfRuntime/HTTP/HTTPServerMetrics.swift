import HTTPTypes
import Prometheus
import Synchronization

/// Request count and latency per route, method and status, and the requests in flight, in a Prometheus
/// registry: the series every Wharf HTTP server shows on `/metrics`. The route is the matched pattern
/// (`/notes/{id}`), never the raw path, so the number of series stays bounded.
public final class HTTPServerMetrics: Sendable {
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
    let inFlight: Gauge
    /// Handles by series: the registry's own lookup builds label strings on every call.
    private let series = Mutex<[SeriesKey: Series]>([:])

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        inFlight = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "http", subsystem: "server", metricName: "requests", unitName: "in_flight", helpText: "HTTP requests being served now"
            )
        )
    }

    public func began() { inFlight.increment() }

    /// A request ended with `status`; `route` is nil when no route matched.
    public func served(route: String?, method: HTTPRequest.Method, status: Int, since started: ContinuousClock.Instant) {
        inFlight.decrement()
        let key = SeriesKey(route: route ?? "unmatched", method: method, status: status)
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

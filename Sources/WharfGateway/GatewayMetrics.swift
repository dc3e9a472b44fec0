import Prometheus
import Synchronization
import WharfCore
import WharfStore

/// The gateway's Prometheus series, in the registry the admin port's `/metrics` renders: answers by
/// route and status with their duration, answers in flight, the gateway's own added latency, the tokens
/// settled, the provider's trouble, and the ledger's queue and failed writes. Every label is a small
/// fixed set (never the instance, which the usage events carry), so the number of series stays bounded.
final class GatewayMetrics: Sendable {
    /// Why a call did not get a complete answer from the provider.
    enum UpstreamTrouble: String, CaseIterable {
        /// It answered 429 or 5xx.
        case busy
        case unreachable
        case timeout
        /// Its answer stopped part way.
        case cutOff = "cut_off"
    }

    private struct AnswerKey: Hashable {
        let route: String
        let status: UInt
    }

    private struct TokenKey: Hashable {
        let api: String
        let feature: String
    }

    private let registry: PrometheusCollectorRegistry
    private let answers = Mutex<[AnswerKey: (count: Counter, duration: DurationHistogram)]>([:])
    private let inFlight: Gauge
    private let overhead: [String: DurationHistogram]
    private let tokens: [TokenKey: (prompt: Counter, completion: Counter)]
    private let trouble: [String: Counter]
    let ledgerQueued: Gauge
    let ledgerWriteFailures: Counter

    static let durationBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(120),
    ]
    static let overheadBuckets: [Duration] = [
        .microseconds(10), .microseconds(25), .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500),
        .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10), .milliseconds(50), .milliseconds(250),
    ]

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        inFlight = registry.makeGauge(descriptor: Self.named("requests", "in_flight", "Requests the AI gateway is answering now"))
        var overhead: [String: DurationHistogram] = [:]
        var tokens: [TokenKey: (prompt: Counter, completion: Counter)] = [:]
        var trouble: [String: Counter] = [:]
        for api in UpstreamAPI.allCases {
            overhead[api.rawValue] = registry.makeDurationHistogram(
                descriptor: Self.named("overhead", "seconds", "Latency the AI gateway added to a provider call (x-wharf-overhead-ms)"),
                labels: [("api", api.rawValue)], buckets: Self.overheadBuckets
            )
            for feature in GatewayFeature.allCases {
                let name = Self.named("tokens", "total", "Tokens settled by the AI gateway, as the provider reported them or as counted locally")
                tokens[TokenKey(api: api.rawValue, feature: feature.rawValue)] = (
                    registry.makeCounter(descriptor: name, labels: [("api", api.rawValue), ("feature", feature.rawValue), ("kind", "prompt")]),
                    registry.makeCounter(descriptor: name, labels: [("api", api.rawValue), ("feature", feature.rawValue), ("kind", "completion")])
                )
            }
            for kind in UpstreamTrouble.allCases {
                trouble[api.rawValue + kind.rawValue] = registry.makeCounter(
                    descriptor: Self.named("upstream_errors", "total", "Provider calls without a complete answer: busy (429 or 5xx), unreachable, timeout, cut_off"),
                    labels: [("api", api.rawValue), ("kind", kind.rawValue)]
                )
            }
        }
        self.overhead = overhead
        self.tokens = tokens
        self.trouble = trouble
        ledgerQueued = registry.makeGauge(descriptor: Self.named("ledger", "queued", "Settlements, admissions and returns waiting for the ledger's next write"))
        ledgerWriteFailures = registry.makeCounter(descriptor: Self.named("ledger_write_failures", "total", "Ledger writes that failed and were retried"))
    }

    private static func named(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "wharf", subsystem: "gateway", metricName: metric, unitName: unit, helpText: help)
    }

    func began() { inFlight.increment() }

    /// An answer ended, written whole or cut off.
    func answered(route: GatewayRoute, status: UInt, duration: Duration) {
        inFlight.decrement()
        let key = AnswerKey(route: route.label, status: status)
        let series = answers.withLock { series in
            if let known = series[key] { return known }
            let labels = [("route", key.route), ("status", String(status))]
            let made = (
                registry.makeCounter(descriptor: Self.named("requests", "total", "Requests the AI gateway answered, by route and status"), labels: labels),
                registry.makeDurationHistogram(
                    descriptor: Self.named("request_duration", "seconds", "Time from a request's end to its answer's end, a stream's included"),
                    labels: labels, buckets: Self.durationBuckets
                )
            )
            series[key] = made
            return made
        }
        series.count.increment()
        series.duration.record(duration)
    }

    /// A call settled: the provider's tokens, and what the gateway added to its latency.
    func settled(_ settlement: GatewaySettlement) {
        guard let event = settlement.event else { return }
        overhead[event.api]?.record(.microseconds(event.overheadMicroseconds))
        guard let counters = tokens[TokenKey(api: event.api, feature: event.feature.rawValue)] else { return }
        if event.promptTokens > 0 { counters.prompt.increment(by: Int64(event.promptTokens)) }
        if event.completionTokens > 0 { counters.completion.increment(by: Int64(event.completionTokens)) }
    }

    func upstream(_ api: UpstreamAPI, _ kind: UpstreamTrouble) {
        trouble[api.rawValue + kind.rawValue]?.increment()
    }
}

extension GatewayRoute {
    /// The route as a metric label: the path served, never a raw one.
    var label: String {
        switch self {
        case .call(let api, _): api.path
        case .limits: "/v1/limits"
        case .wrongMethod, .unknown: "other"
        }
    }
}

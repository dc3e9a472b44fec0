/// Durations of one kind of operation, summarised as percentiles (nearest rank).
struct Latencies: Sendable {
    private(set) var milliseconds: [Double] = []

    mutating func record(_ duration: Duration) {
        milliseconds.append(Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) / 1e15)
    }

    mutating func merge(_ other: Latencies) { milliseconds += other.milliseconds }

    var count: Int { milliseconds.count }

    func percentile(_ p: Double) -> Double {
        guard !milliseconds.isEmpty else { return .nan }
        let sorted = milliseconds.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[max(0, min(sorted.count - 1, rank - 1))]
    }

    var summary: LatencySummary {
        LatencySummary(count: count, p50: percentile(50), p99: percentile(99), max: percentile(100))
    }
}

/// The reported figures of a `Latencies`, in milliseconds.
struct LatencySummary: Codable, Sendable {
    var count: Int
    var p50: Double
    var p99: Double
    var max: Double
}

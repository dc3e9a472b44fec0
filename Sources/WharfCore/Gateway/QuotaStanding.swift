import Foundation

/// Where an instance stands against one of its limits: what `GET /v1/limits` lists and what the
/// `x-ratelimit-*` headers report.
public struct QuotaStanding: Codable, Sendable, Equatable {
    public enum Measure: String, Codable, Sendable { case requests, tokens, concurrency }

    public var measure: Measure
    /// The window counted in; nil for concurrency, which counts requests in flight.
    public var window: LimitWindow?
    public var limit: Int
    public var used: Int
    /// When the window's counts start again; nil for concurrency.
    public var resetsAt: Date?

    public init(measure: Measure, window: LimitWindow?, limit: Int, used: Int, resetsAt: Date?) {
        self.measure = measure
        self.window = window
        self.limit = limit
        self.used = used
        self.resetsAt = resetsAt
    }

    public var remaining: Int { max(0, limit - used) }

    /// Whole seconds until the counts start again (at least 1), for `retry-after` and `x-ratelimit-reset`.
    public func secondsToReset(from now: Date) -> Int {
        guard let resetsAt else { return 1 }
        return max(1, Int(resetsAt.timeIntervalSince(now).rounded(.up)))
    }

    /// How it reads in a message: "chat requests per day".
    public var name: String {
        guard let window else { return "requests in flight" }
        return "\(measure.rawValue) per \(window.rawValue)"
    }

    enum CodingKeys: String, CodingKey { case measure, window, limit, used, remaining, resetsAt }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        measure = try c.decode(Measure.self, forKey: .measure)
        window = try c.decodeIfPresent(LimitWindow.self, forKey: .window)
        limit = try c.decode(Int.self, forKey: .limit)
        used = try c.decode(Int.self, forKey: .used)
        resetsAt = try c.decodeIfPresent(Date.self, forKey: .resetsAt)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(measure, forKey: .measure)
        try c.encodeIfPresent(window, forKey: .window)
        try c.encode(limit, forKey: .limit)
        try c.encode(used, forKey: .used)
        try c.encode(remaining, forKey: .remaining)
        try c.encodeIfPresent(resetsAt, forKey: .resetsAt)
    }
}

/// `GET /v1/gateway/usage`: the AI gateway's calls per instance, feature and UTC day over a span of days.
public struct GatewayUsageReport: Codable, Sendable, Equatable {
    /// The first day counted, `YYYY-MM-DD`.
    public var since: String
    /// The last day counted, `YYYY-MM-DD`.
    public var until: String
    public var days: [GatewayUsageSummary]

    public init(since: String, until: String, days: [GatewayUsageSummary]) {
        self.since = since
        self.until = until
        self.days = days
    }
}

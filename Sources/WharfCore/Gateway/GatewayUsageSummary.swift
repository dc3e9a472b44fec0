/// Calls through the AI gateway for one instance, feature and UTC day: what `wharf gateway usage` lists.
public struct GatewayUsageSummary: Codable, Sendable, Equatable {
    public var instance: String
    public var feature: GatewayFeature
    /// The UTC day, `YYYY-MM-DD`.
    public var day: String
    public var requests: Int
    /// Calls answered with an error (status 400 or more).
    public var errors: Int
    public var promptTokens: Int
    public var completionTokens: Int
    /// Calls whose usage the gateway counted because the upstream did not report it.
    public var countedLocally: Int

    public init(instance: String, feature: GatewayFeature, day: String, requests: Int, errors: Int, promptTokens: Int, completionTokens: Int, countedLocally: Int) {
        self.instance = instance
        self.feature = feature
        self.day = day
        self.requests = requests
        self.errors = errors
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.countedLocally = countedLocally
    }
}

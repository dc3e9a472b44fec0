import Foundation

/// One call through the AI gateway, as billing and analytics see it. Never the prompt or the answer.
public struct GatewayUsageEvent: Codable, Sendable, Equatable {
    public var id: String
    public var at: Date
    public var instance: String
    public var feature: GatewayFeature
    public var model: String
    /// `anthropic` or `openai`.
    public var api: String
    public var requestID: String
    /// The status the instance got.
    public var status: Int
    public var promptTokens: Int
    public var completionTokens: Int
    /// The upstream did not report usage, so the gateway counted it itself.
    public var usageCounted: Bool
    /// The prompt was over the gateway's prompt-size threshold (and was refused if blocking is on).
    public var promptFlagged: Bool
    public var streamed: Bool
    /// From the request's arrival to its last byte.
    public var latencyMicroseconds: Int
    /// The part of the latency the gateway added on top of the upstream's.
    public var overheadMicroseconds: Int

    public init(
        id: String, at: Date, instance: String, feature: GatewayFeature, model: String, api: String, requestID: String, status: Int,
        promptTokens: Int, completionTokens: Int, usageCounted: Bool, promptFlagged: Bool, streamed: Bool, latencyMicroseconds: Int, overheadMicroseconds: Int
    ) {
        self.id = id
        self.at = at
        self.instance = instance
        self.feature = feature
        self.model = model
        self.api = api
        self.requestID = requestID
        self.status = status
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.usageCounted = usageCounted
        self.promptFlagged = promptFlagged
        self.streamed = streamed
        self.latencyMicroseconds = latencyMicroseconds
        self.overheadMicroseconds = overheadMicroseconds
    }

    enum CodingKeys: String, CodingKey {
        case id, at, instance, feature, model, api, requestID = "requestId", status, promptTokens, completionTokens, usageCounted, promptFlagged, streamed
        case latencyMicroseconds, overheadMicroseconds
    }
}

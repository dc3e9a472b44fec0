/// What `GET /v1/limits` tells an instance: for each feature, the models it may use and where it stands
/// against each limit.
public struct GatewayLimitsAnswer: Codable, Sendable, Equatable {
    public struct Feature: Codable, Sendable, Equatable {
        /// Nil when any model is allowed.
        public var models: [String]?
        public var limits: [QuotaStanding]

        public init(models: [String]?, limits: [QuotaStanding]) {
            self.models = models
            self.limits = limits
        }
    }

    public var instance: String
    public var plan: Plan
    public var features: [GatewayFeature: Feature]

    public init(instance: String, plan: Plan, features: [GatewayFeature: Feature]) {
        self.instance = instance
        self.plan = plan
        self.features = features
    }
}

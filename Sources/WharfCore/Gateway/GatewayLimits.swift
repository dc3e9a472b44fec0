/// Limits for each AI feature: a plan's, an instance's overrides, or the two combined. Encoded as an
/// object keyed by feature (`{"chat": {...}}`).
public struct GatewayLimits: Codable, Sendable, Equatable {
    public var features: [GatewayFeature: FeatureLimits]

    public init(_ features: [GatewayFeature: FeatureLimits] = [:]) {
        self.features = features
    }

    public subscript(feature: GatewayFeature) -> FeatureLimits {
        get { features[feature] ?? FeatureLimits() }
        set { features[feature] = newValue }
    }

    public var isEmpty: Bool { features.isEmpty }

    /// The plan's limits with an instance's overrides applied, feature by feature.
    public func overridden(by overrides: GatewayLimits) -> GatewayLimits {
        var merged = self
        for feature in GatewayFeature.allCases {
            merged.features[feature] = self[feature].overridden(by: overrides.features[feature])
        }
        return merged
    }

    /// Records every impossible value, at its path under `field`.
    public func check(at field: String, into v: inout Validator) {
        for (feature, limits) in features.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            limits.check(at: "\(field).\(feature.rawValue)", into: &v)
        }
    }

    public init(from decoder: any Decoder) throws {
        features = try decoder.singleValueContainer().decode([GatewayFeature: FeatureLimits].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(features)
    }
}

extension Plan {
    /// The AI gateway limits that come with the plan (SPEC §10); an instance's overrides are applied on top.
    public var gatewayLimits: GatewayLimits {
        let scale = self == .business ? 1 : 5
        return GatewayLimits([
            .chat: FeatureLimits(
                requests: WindowLimits(minute: 60 * scale, day: 5_000 * scale, month: 100_000 * scale),
                tokens: WindowLimits(minute: 200_000 * scale, day: 5_000_000 * scale, month: 100_000_000 * scale),
                concurrency: 20 * scale
            ),
            .codeCompletion: FeatureLimits(
                requests: WindowLimits(minute: 600 * scale, day: 50_000 * scale, month: 1_000_000 * scale),
                tokens: WindowLimits(minute: 400_000 * scale, day: 10_000_000 * scale, month: 200_000_000 * scale),
                concurrency: 50 * scale
            ),
            .embeddings: FeatureLimits(
                requests: WindowLimits(minute: 300 * scale, day: 20_000 * scale, month: 400_000 * scale),
                tokens: WindowLimits(minute: 1_000_000 * scale, day: 20_000_000 * scale, month: 400_000_000 * scale),
                concurrency: 20 * scale
            ),
        ])
    }
}

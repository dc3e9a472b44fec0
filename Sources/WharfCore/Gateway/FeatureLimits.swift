/// What an instance may do with one AI feature: which models, how many requests and tokens per window,
/// and how many requests at once. In a plan, nil is unlimited; in an instance's override, nil keeps the
/// plan's value.
public struct FeatureLimits: Codable, Sendable, Equatable {
    /// Model names allowed; an entry ending in `*` allows every model that starts with what precedes it.
    /// Nil allows any model.
    public var models: [String]?
    public var requests: WindowLimits?
    public var tokens: WindowLimits?
    public var concurrency: Int?

    public init(models: [String]? = nil, requests: WindowLimits? = nil, tokens: WindowLimits? = nil, concurrency: Int? = nil) {
        self.models = models
        self.requests = requests
        self.tokens = tokens
        self.concurrency = concurrency
    }

    /// Whether `model` is one of the allowed models.
    public func allows(model: String) -> Bool {
        guard let models else { return true }
        return models.contains { $0.hasSuffix("*") ? model.hasPrefix($0.dropLast()) : $0 == model }
    }

    /// These limits with every member `override` sets replaced.
    public func overridden(by override: FeatureLimits?) -> FeatureLimits {
        guard let override else { return self }
        return FeatureLimits(
            models: override.models ?? models,
            requests: (requests ?? WindowLimits()).overridden(by: override.requests),
            tokens: (tokens ?? WindowLimits()).overridden(by: override.tokens),
            concurrency: override.concurrency ?? concurrency
        )
    }

    static let largestCount = 1_000_000_000_000

    /// Records every impossible value, at its path under `field`.
    func check(at field: String, into v: inout Validator) {
        for (name, limits) in [("requests", requests), ("tokens", tokens)] {
            for window in LimitWindow.allCases {
                if let value = limits?[window], !(0...Self.largestCount).contains(value) {
                    v.add("\(field).\(name).\(window.rawValue)", "out_of_range", "must be between 0 and \(Self.largestCount) (got \(value))")
                }
            }
        }
        if let concurrency, !(1...1_000_000).contains(concurrency) {
            v.add("\(field).concurrency", "out_of_range", "must be between 1 and 1000000 (got \(concurrency))")
        }
        if let models, models.count > 100 { v.add("\(field).models", "too_many", "at most 100 models (got \(models.count)); use a prefix ending in *") }
        for (index, model) in (models ?? []).enumerated() {
            let problem: String? =
                if model.isEmpty { "a model name cannot be empty" }
                else if model.count > 200 { "a model name has at most 200 characters" }
                else if model == "*" && models!.count > 1 { "'*' already allows every model; list it alone" }
                else { nil }
            if let problem { v.add("\(field).models[\(index)]", "invalid", problem) }
        }
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case models, requests, tokens, concurrency }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        models = try c.decodeIfPresent([String].self, forKey: .models)
        requests = try c.decodeIfPresent(WindowLimits.self, forKey: .requests)
        tokens = try c.decodeIfPresent(WindowLimits.self, forKey: .tokens)
        concurrency = try c.decodeIfPresent(Int.self, forKey: .concurrency)
    }
}

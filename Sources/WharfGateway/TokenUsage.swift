/// Tokens a request used, as billed.
public struct TokenUsage: Sendable, Equatable, Codable {
    public var prompt = 0
    public var completion = 0
    public var total: Int { prompt + completion }

    public init(prompt: Int = 0, completion: Int = 0) {
        self.prompt = prompt
        self.completion = completion
    }
}

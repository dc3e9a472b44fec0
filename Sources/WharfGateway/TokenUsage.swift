import Foundation

/// Tokens a request used, as billed.
public struct TokenUsage: Sendable, Equatable, Codable {
    public var prompt = 0
    public var completion = 0
    public var total: Int { prompt + completion }

    public init(prompt: Int = 0, completion: Int = 0) {
        self.prompt = prompt
        self.completion = completion
    }

    /// The usage in a non-streaming answer of `api`, or nil when it has none.
    static func reported(in data: Data, api: UpstreamAPI) -> TokenUsage? {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any], let usage = object["usage"] as? [String: Any] else { return nil }
        switch api {
        case .anthropic:
            guard let input = usage["input_tokens"] as? Int, let output = usage["output_tokens"] as? Int else { return nil }
            return TokenUsage(prompt: input, completion: output)
        case .openAI:
            guard let prompt = usage["prompt_tokens"] as? Int, let completion = usage["completion_tokens"] as? Int else { return nil }
            return TokenUsage(prompt: prompt, completion: completion)
        }
    }
}

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

    /// The usage a whole (not streamed) answer reports: Anthropic's `usage.input_tokens` and
    /// `output_tokens`, OpenAI's `usage.prompt_tokens` and `completion_tokens`; nil when it reports none.
    static func reported(in answer: Data, api: UpstreamAPI) -> TokenUsage? {
        struct Answer: Decodable {
            struct Usage: Decodable {
                var inputTokens: Int?
                var outputTokens: Int?
                var promptTokens: Int?
                var completionTokens: Int?
            }
            var usage: Usage?
        }
        guard let usage = (try? Self.decoder.decode(Answer.self, from: answer))?.usage else { return nil }
        switch api {
        case .anthropic:
            guard let input = usage.inputTokens, let output = usage.outputTokens else { return nil }
            return TokenUsage(prompt: input, completion: output)
        case .openAI:
            guard let prompt = usage.promptTokens, let completion = usage.completionTokens else { return nil }
            return TokenUsage(prompt: prompt, completion: completion)
        }
    }

    private static let decoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()
}

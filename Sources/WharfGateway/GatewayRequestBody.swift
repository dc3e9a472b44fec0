import Foundation

/// The members of a Messages or Chat Completions body the gateway acts on; the rest passes through as sent.
struct GatewayRequestBody: Decodable, Sendable {
    var model: String
    var stream: Bool?
    var maxTokens: Int?
    var maxCompletionTokens: Int?
    var messages: [IgnoredValue]

    enum CodingKeys: String, CodingKey {
        case model, stream, messages
        case maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens"
    }

    var streams: Bool { stream ?? false }

    /// Decodes and checks a body, saying what is wrong in the words of the API's documentation.
    static func parse(_ data: Data, api: UpstreamAPI) throws(GatewayFailure) -> GatewayRequestBody {
        let body: GatewayRequestBody
        do {
            body = try JSONDecoder().decode(GatewayRequestBody.self, from: data)
        } catch DecodingError.keyNotFound(let key, _) {
            throw .invalid("\(key.stringValue): field required")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            throw .invalid("\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)")
        } catch {
            throw .invalid("the body is not valid JSON")
        }
        if api == .anthropic, body.maxTokens == nil { throw .invalid("max_tokens: field required") }
        if let limit = body.maxTokens ?? body.maxCompletionTokens, limit < 1 { throw .invalid("max_tokens: must be at least 1") }
        if body.messages.isEmpty { throw .invalid("messages: at least one message is required") }
        return body
    }

    /// The prompt's size in tokens before the provider says, at about four bytes a token.
    static func promptTokens(bodyBytes: Int) -> Int { bodyBytes / 4 }

    /// The tokens to reserve before the provider says: the prompt plus the most the answer may use.
    func estimatedTokens(promptTokens: Int) -> Int {
        promptTokens + (maxTokens ?? maxCompletionTokens ?? 4096)
    }
}

/// Any JSON value, skipped without building it.
struct IgnoredValue: Decodable, Sendable {
    init(from decoder: any Decoder) throws {}
}

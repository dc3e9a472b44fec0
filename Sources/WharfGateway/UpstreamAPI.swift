import Foundation

/// The two provider APIs the gateway speaks, each with its own path, way of passing the key, and error
/// format: clients get errors in the format of the API they called, so their SDKs understand them.
public enum UpstreamAPI: String, Sendable, CaseIterable {
    /// Anthropic Messages: `POST /v1/messages`, key in `x-api-key`.
    case anthropic
    /// OpenAI Chat Completions: `POST /v1/chat/completions`, key as a bearer token.
    case openAI = "openai"

    public var path: String {
        switch self {
        case .anthropic: "/v1/messages"
        case .openAI: "/v1/chat/completions"
        }
    }

    /// The error body a client of this API expects: `type` is the API's own error type.
    func errorBody(type: String, message: String) -> String {
        let message = Self.escaped(message)
        return switch self {
        case .anthropic: #"{"type":"error","error":{"type":"\#(type)","message":"\#(message)"}}"#
        case .openAI: #"{"error":{"message":"\#(message)","type":"\#(type)","param":null,"code":"\#(type)"}}"#
        }
    }

    private static func escaped(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst(2).dropLast(2))
    }
}

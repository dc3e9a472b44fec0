/// What an instance uses the AI gateway for; limits are set per feature.
public enum GatewayFeature: String, Codable, CodingKeyRepresentable, Sendable, CaseIterable {
    case chat
    case codeCompletion = "code_completion"
    case embeddings
}

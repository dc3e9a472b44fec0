/// What an instance uses the AI gateway for; limits are set per feature.
public enum GatewayFeature: String, Codable, Sendable, CaseIterable {
    case chat
    case codeCompletion = "code_completion"
    case embeddings
}

import Crypto

/// How an instance authenticates to the AI gateway without holding a provider key: a fixed prefix and the
/// hex SHA-256 of its licence key, which the instance computes from its own key. The gateway keeps only a
/// hash of the token, so neither the key nor the token can be read back from its database.
public enum GatewayToken {
    public static let prefix = "wharf_ai_"

    /// The token an instance with `licenceKey` presents as `Authorization: Bearer <token>`.
    public static func derive(licenceKey: String) -> String {
        prefix + Hex.encode(SHA256.hash(data: Array(licenceKey.utf8)))
    }

    /// What the store keeps and looks tokens up by; domain-separated from every other hash Wharf stores.
    public static func storedHash(_ token: String) -> String {
        Hex.encode(SHA256.hash(data: Array("wharf-gateway-token\u{0}\(token)".utf8)))
    }

    /// Whether `text` has the shape of a token: the prefix and 64 hex digits.
    public static func isWellFormed(_ text: String) -> Bool {
        guard text.hasPrefix(prefix) else { return false }
        let digest = text.utf8.dropFirst(prefix.utf8.count)
        return digest.count == 64 && digest.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }
}

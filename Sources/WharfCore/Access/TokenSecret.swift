import Crypto
import Foundation

/// API token secrets: 256 random bits behind a recognisable prefix (so secret scanners can find leaked
/// ones). A secret this strong needs no slow hash: SHA-256 of it is stored and looked up directly.
public enum TokenSecret {
    public static let prefix = "wharf_"

    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return prefix + Base64URL.encode(bytes)
    }

    public static func hash(_ secret: String) -> String {
        Hex.encode(SHA256.hash(data: Array(secret.utf8)))
    }

    /// A short random identifier for records (tokens), URL-safe.
    public static func identifier() -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.encode((0..<8).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}

import Crypto

/// Licence keys are secrets: they are stored sealed and shown only as a fingerprint.
public enum LicenceKey {
    public static func parse(_ text: String) throws(FieldProblem) -> String {
        guard (8...4096).contains(text.utf8.count), text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F }) else {
            throw FieldProblem("invalid_licence_key", "must be 8 to 4096 printable ASCII characters without spaces")
        }
        return text
    }

    /// A short, stable identifier for a key that reveals nothing usable. It is domain-separated from the AI
    /// gateway's token (which is the plain SHA-256 of the key), so a fingerprint is never a credential.
    public static func fingerprint(_ key: String) -> String {
        let digest = SHA256.hash(data: Array("wharf-licence-fingerprint\u{0}\(key)".utf8))
        return "lk_" + digest.prefix(6).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}

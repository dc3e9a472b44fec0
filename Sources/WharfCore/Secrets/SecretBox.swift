import Crypto
import Foundation

/// Seals secrets at rest with AES-256-GCM under the master key. Sealed values carry their nonce and tag,
/// so tampering is detected on opening.
public struct SecretBox: Sendable {
    /// Raw key bytes; `SymmetricKey` is not `Sendable`, so one is made per use (cheap: it wraps 32 bytes).
    private let keyBytes: [UInt8]
    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    /// A box from a base64-encoded 32-byte key (`WHARF_MASTER_KEY` or the key file).
    public init(base64Key: String) throws(WharfError) {
        guard let data = Data(base64Encoded: base64Key.trimmingWhitespace()), data.count == 32 else {
            throw WharfError(.configuration, "the master key must be 32 bytes, base64-encoded (for example: openssl rand -base64 32)")
        }
        self.keyBytes = Array(data)
    }

    public static func generateBase64Key() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    public func seal(_ plaintext: String) throws -> [UInt8] {
        Array(try AES.GCM.seal(Array(plaintext.utf8), using: key).combined!)
    }

    public func open(_ sealed: [UInt8]) throws -> String {
        let box = try AES.GCM.SealedBox(combined: sealed)
        return String(decoding: try AES.GCM.open(box, using: key), as: UTF8.self)
    }
}

import Foundation
import WharfCore

/// A licence key as the store writes it: sealed with the master key, and the hash of the AI gateway token
/// derived from it, so the gateway finds the instance without ever unsealing a key.
struct SealedLicenceKey: Sendable, Equatable {
    var sealed: Data
    var gatewayTokenHash: String
}

extension Store {
    func seal(licenceKey key: String) throws -> SealedLicenceKey {
        SealedLicenceKey(sealed: Data(try secrets.seal(key)), gatewayTokenHash: GatewayToken.storedHash(GatewayToken.derive(licenceKey: key)))
    }
}

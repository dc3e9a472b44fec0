import Foundation

/// A customer-owned hostname, routed to the instance once its ownership is verified.
///
/// Ownership is shown with the domain's verification token: in production as a DNS TXT record
/// (`challengeName` holding `challengeValue`), and on the local provider by the requester echoing the token
/// back (`POST /v1/instances/{slug}/domains/{domain}/verify`). The token is not a secret — DNS publishes it —
/// so it lives in the instance record, where the requester reads it.
public struct CustomDomain: Codable, Sendable, Equatable {
    public var domain: String
    public var verification: DomainVerification
    public var verificationToken: String
    public var verifiedAt: Date?

    public init(domain: String, verification: DomainVerification = .pending, verificationToken: String = CustomDomain.makeToken(), verifiedAt: Date? = nil) {
        self.domain = domain
        self.verification = verification
        self.verificationToken = verificationToken
        self.verifiedAt = verifiedAt
    }

    /// The DNS name whose TXT record proves ownership in production.
    public var challengeName: String { "_wharf-challenge." + domain }
    /// The TXT record's value.
    public var challengeValue: String { "wharf-verification=" + verificationToken }

    /// 128 random bits, hex: unguessable, and short enough to paste into a DNS console.
    public static func makeToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.encode((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}

import Foundation

/// A single-use link that lets the instance's admin set a new password. The secret token is in the link
/// only; Wharf keeps its SHA-256 (the token has 256 random bits, so no slow hash is needed), bound to the
/// admin e-mail it was issued for.
public struct PasswordResetLink: Codable, Sendable, Equatable {
    public static let lifetime: TimeInterval = 24 * 3600

    public var url: String
    public var email: String
    public var expiresAt: Date

    /// A new link for `instance`, and the hash of its token to store.
    public static func issue(for instance: Instance, now: Date) -> (link: PasswordResetLink, tokenHash: String) {
        let token = TokenSecret.generate()
        let link = PasswordResetLink(
            url: "https://\(instance.defaultDomain)/-/reset-password#token=\(token)", email: instance.adminEmail,
            expiresAt: now.addingTimeInterval(lifetime)
        )
        return (link, TokenSecret.hash(token))
    }
}

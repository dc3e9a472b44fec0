import Foundation

/// Proves ownership of one of an instance's custom domains by echoing its verification token — the local
/// stand-in for the DNS TXT record a production provider looks up.
public struct DomainVerificationRequest: Codable, Sendable, Equatable {
    public var token: String

    public init(token: String) {
        self.token = token
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case token }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        token = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .token)
    }

    /// Marks `domain` verified when the token matches. Verifying a verified domain again changes nothing;
    /// a wrong token leaves the domain pending.
    public func applied(to instance: Instance, domain: String, now: Date) throws(WharfError) -> Instance {
        guard let index = instance.customDomains.firstIndex(where: { $0.domain == domain.lowercased() }) else {
            let known = instance.customDomains.map { "'\($0.domain)'" }.joined(separator: ", ")
            throw WharfError(.notFound, "'\(domain)' is not a custom domain of '\(instance.slug)'" + (known.isEmpty ? "" : "; it has \(known)"))
        }
        guard ![.deleted, .tearingDown].contains(instance.state) else {
            throw WharfError(.conflict, "the instance '\(instance.slug)' is \(instance.state == .deleted ? "deleted" : "being torn down")")
        }
        var next = instance
        let entry = instance.customDomains[index]
        guard token.trimmingWhitespace() == entry.verificationToken else {
            throw WharfError.invalid([FieldError(
                "token", "mismatch",
                "not the verification token of '\(entry.domain)'; it is in the instance's customDomains[\(index)].verificationToken")])
        }
        guard entry.verification != .verified else { return instance }
        next.customDomains[index].verification = .verified
        next.customDomains[index].verifiedAt = now
        next.updatedAt = now
        return next
    }
}

/// What an instance's product sends to redeem the token of a password reset link.
public struct PasswordResetRedemption: Codable, Sendable, Equatable {
    public var token: String

    public init(token: String) { self.token = token }

    enum CodingKeys: String, CodingKey, CaseIterable { case token }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        token = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .token)
    }
}

import Foundation

/// An API token's public record. The secret is shown once, when the token is made; only its hash is kept.
public struct APIToken: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var role: Role
    /// The first characters of the secret, so a person can tell tokens apart without the secret.
    public var prefix: String
    public var createdAt: Date
    public var createdBy: String
    public var revokedAt: Date?

    public init(id: String, name: String, role: Role, prefix: String, createdAt: Date, createdBy: String, revokedAt: Date?) {
        self.id = id
        self.name = name
        self.role = role
        self.prefix = prefix
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.revokedAt = revokedAt
    }

    public var actor: Actor { Actor(id: id, name: name, role: role) }
}

/// A token just created: its record and the secret, which exists nowhere else.
public struct IssuedToken: Codable, Sendable {
    public var token: APIToken
    public var secret: String

    public init(token: APIToken, secret: String) {
        self.token = token
        self.secret = secret
    }
}

/// The input that creates a token.
public struct TokenDraft: Codable, Sendable, Equatable {
    public var name: String
    public var role: Role

    public init(name: String, role: Role) {
        self.name = name
        self.role = role
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, role }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        role = try c.decode(Role.self, forKey: .role)
    }

    public func validatedName() throws(WharfError) -> String {
        var v = Validator()
        let name = v.check("name") { () throws(FieldProblem) in try Customer.parseName(self.name) } ?? self.name
        try v.finish()
        return name
    }
}

import Foundation
import SQLKit
import WharfCore

extension Store {
    /// Makes a token and returns its secret, which is not kept: only its SHA-256 is stored.
    public func createToken(_ draft: TokenDraft, actor: Actor) async throws -> IssuedToken {
        let name = try draft.validatedName()
        let issued = Self.issue(name: name, role: draft.role, by: actor, at: now())
        try await write { db in
            try await Self.insert(db, issued)
            try await Self.appendAudit(db, at: issued.token.createdAt, actor: actor, action: "token.create", target: "token:\(issued.token.id)", detail: issued.token)
        }
        return issued
    }

    /// Makes the first admin token when the store has none; nil when any token exists already. Runs in one
    /// transaction so two servers starting together cannot both mint one.
    public func createInitialAdminToken() async throws -> IssuedToken? {
        let issued = Self.issue(name: "initial admin", role: .admin, by: .system, at: now())
        return try await write { db in
            guard try await db.select().column("id").from("wharf_tokens").limit(1).first() == nil else { return nil }
            try await Self.insert(db, issued)
            try await Self.appendAudit(db, at: issued.token.createdAt, actor: .system, action: "token.create", target: "token:\(issued.token.id)", detail: issued.token)
            return issued
        }
    }

    public func tokens() async throws -> [APIToken] {
        try await read { db in
            try await db.select().column("doc").from("wharf_tokens").orderBy("id").all()
                .map { try JSONColumn.decode(APIToken.self, try $0.decode(column: "doc", as: String.self)) }
                .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        }
    }

    /// Revokes a token at once; revoking twice is harmless and audited once.
    public func revokeToken(id: String, actor: Actor) async throws -> APIToken {
        let now = now()
        return try await write { db in
            guard let row = try await db.select().column("doc").from("wharf_tokens").where("id", .equal, SQLBind(id)).lockingClause(SQLLockingClause.update).first() else {
                throw WharfError.notFound("token", id)
            }
            var token = try JSONColumn.decode(APIToken.self, try row.decode(column: "doc", as: String.self))
            guard token.revokedAt == nil else { return token }
            token.revokedAt = now
            try await db.update("wharf_tokens").set("doc", to: SQLBind(try JSONColumn.encode(token))).set("revoked", to: SQLBind(1))
                .where("id", .equal, SQLBind(id)).run()
            try await Self.appendAudit(db, at: now, actor: actor, action: "token.revoke", target: "token:\(id)", detail: ["name": token.name])
            return token
        }
    }

    /// The token a secret belongs to, or nil when it is unknown or revoked.
    public func authenticate(secret: String) async throws -> APIToken? {
        let hash = TokenSecret.hash(secret)
        return try await read { db in
            try await db.select().column("doc").from("wharf_tokens").where("secret_hash", .equal, SQLBind(hash))
                .where("revoked", .equal, SQLBind(0)).first()
                .map { try JSONColumn.decode(APIToken.self, try $0.decode(column: "doc", as: String.self)) }
        }
    }

    static func issue(name: String, role: Role, by actor: Actor, at: Date) -> IssuedToken {
        let secret = TokenSecret.generate()
        let token = APIToken(
            id: TokenSecret.identifier(), name: name, role: role, prefix: String(secret.prefix(TokenSecret.prefix.count + 4)),
            createdAt: at, createdBy: actor.auditName, revokedAt: nil
        )
        return IssuedToken(token: token, secret: secret)
    }

    static func insert(_ db: any SQLDatabase, _ issued: IssuedToken) async throws {
        try await db.insert(into: "wharf_tokens").columns("id", "secret_hash", "doc", "revoked")
            .values(SQLBind(issued.token.id), SQLBind(TokenSecret.hash(issued.secret)), SQLBind(try JSONColumn.encode(issued.token)), SQLBind(0))
            .run()
    }
}

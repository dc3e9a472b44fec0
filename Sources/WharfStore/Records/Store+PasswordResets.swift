import Foundation
import SQLKit
import WharfCore

/// Who a redeemed password reset link lets set a new password.
public struct PasswordResetGrant: Codable, Sendable, Equatable {
    public var instance: String
    public var email: String

    public init(instance: String, email: String) {
        self.instance = instance
        self.email = email
    }
}

extension Store {
    /// Redeems the token of a password reset link: once, before it expires, and only while the instance's
    /// admin e-mail is still the one the link was issued for. The outcome is audited without the token.
    public func redeemPasswordReset(token: String) async throws -> PasswordResetGrant {
        let now = now()
        let hash = TokenSecret.hash(token)
        let refusal = WharfError(.notFound, "this password reset link is not valid; it may have been used or have expired, so ask for a new one")
        return try await write { db in
            guard let row = try await db.select().columns("instance", "email", "expires_ms", "used_ms").from("wharf_password_resets")
                .where("token_hash", .equal, SQLBind(hash)).lockingClause(SQLLockingClause.update).first()
            else { throw refusal }
            let grant = PasswordResetGrant(instance: try row.decode(column: "instance", as: String.self), email: try row.decode(column: "email", as: String.self))
            let used = try row.decode(column: "used_ms", as: Int64?.self) != nil
            let expired = try row.decode(column: "expires_ms", as: Int64.self) <= JSONColumn.millis(now)
            let instance = try await Self.instanceRow(db, slug: grant.instance)
            guard !used, !expired, let instance, instance.adminEmail == grant.email, instance.state != .deleted else { throw refusal }
            try await db.update("wharf_password_resets").set("used_ms", to: SQLBind(JSONColumn.millis(now))).where("token_hash", .equal, SQLBind(hash)).run()
            try await Self.appendAudit(db, at: now, actor: .system, action: "instance.password_reset", target: "instance:\(grant.instance)", detail: ["email": grant.email])
            return grant
        }
    }
}

import Foundation
import SQLKit
import WharfCore

/// Who is calling the AI gateway: the instance its token belongs to, with what decides whether it may.
public struct GatewayActor: Sendable, Equatable {
    public var slug: String
    public var plan: Plan
    public var state: InstanceState
    public var aiGatewayAccess: Bool
    /// The plan's limits with the instance's overrides applied.
    public var limits: GatewayLimits
}

extension Store {
    /// The instance whose AI gateway token hashes to `tokenHash`, or nil for a token no instance has.
    public func gatewayActor(tokenHash: String) async throws -> GatewayActor? {
        try await read { db in
            guard let row = try await db.select().column("doc").from("wharf_instances").where("gateway_token_hash", .equal, SQLBind(tokenHash)).first() else {
                return nil
            }
            let instance = try JSONColumn.decode(Instance.self, try row.decode(column: "doc", as: String.self))
            return GatewayActor(
                slug: instance.slug, plan: instance.plan, state: instance.state, aiGatewayAccess: instance.aiGatewayAccess,
                limits: instance.plan.gatewayLimits.overridden(by: instance.aiGatewayLimits)
            )
        }
    }

    /// Hashes the gateway tokens of keys sealed before the gateway existed; a no-op once every key has one.
    func fillGatewayTokenHashes() async throws {
        let rows = try await read { db in
            try await db.select().columns("slug", "licence_key_sealed").from("wharf_instances")
                .where("licence_key_sealed", .isNot, SQLLiteral.null).where("gateway_token_hash", .is, SQLLiteral.null).all()
        }
        for row in rows {
            let slug = try row.decode(column: "slug", as: String.self)
            let key = try secrets.open(Array(try row.decode(column: "licence_key_sealed", as: Data.self)))
            let hash = GatewayToken.storedHash(GatewayToken.derive(licenceKey: key))
            try await write { db in
                try await db.update("wharf_instances").set("gateway_token_hash", to: SQLBind(hash)).where("slug", .equal, SQLBind(slug)).run()
            }
        }
    }
}

extension Store {
    /// The instance's AI gateway token, derived from its licence key; each reading is audited, since the
    /// token is a credential.
    public func gatewayToken(slug: String, actor: Actor) async throws -> String {
        let now = now()
        let secrets = secrets
        return try await write { db in
            guard let row = try await db.select().column("licence_key_sealed").from("wharf_instances").where("slug", .equal, SQLBind(slug)).first() else {
                throw WharfError.notFound("instance", slug)
            }
            guard try !row.decodeNil(column: "licence_key_sealed") else {
                throw WharfError(.conflict, "the instance \(slug) has no licence key, and its gateway token derives from one; set it with an update_licence_key request")
            }
            let key = try secrets.open(Array(try row.decode(column: "licence_key_sealed", as: Data.self)))
            try await Self.appendAudit(db, at: now, actor: actor, action: "instance.gateway_token_viewed", target: "instance:\(slug)", detail: [String: JSONValue]())
            return GatewayToken.derive(licenceKey: key)
        }
    }
}

import Foundation
import SQLKit
import WharfCore

/// The vendor's provider keys for the AI gateway, sealed at rest; every change is audited without the key.
extension Store {
    /// Sets (or rotates) the key and URL of one provider API.
    public func setGatewayProvider(api: String, _ update: GatewayProviderUpdate, actor: Actor) async throws -> GatewayProvider {
        let (api, baseURL, key) = try update.validated(api: api)
        let provider = GatewayProvider(api: api, baseURL: baseURL, keyHint: GatewayProvider.hint(of: key), updatedAt: now(), updatedBy: actor.name)
        let sealed = Data(try secrets.seal(key))
        try await write { db in
            try await db.delete(from: "wharf_gateway_providers").where("api", .equal, SQLBind(api)).run()
            try await db.insert(into: "wharf_gateway_providers").columns("api", "doc", "key_sealed")
                .values(SQLBind(api), SQLBind(try JSONColumn.encode(provider)), SQLBind(sealed)).run()
            try await Self.appendAudit(db, at: provider.updatedAt, actor: actor, action: "gateway.provider.set", target: "gateway-provider:\(api)", detail: provider)
        }
        return provider
    }

    /// Removes a provider's key: the gateway falls back to its environment, or stops serving that API.
    public func deleteGatewayProvider(api: String, actor: Actor) async throws -> GatewayProvider {
        try await write { db in
            guard let provider = try await Self.providers(db).first(where: { $0.provider.api == api })?.provider else {
                throw WharfError.notFound("gateway provider", api)
            }
            try await db.delete(from: "wharf_gateway_providers").where("api", .equal, SQLBind(api)).run()
            try await Self.appendAudit(db, at: now(), actor: actor, action: "gateway.provider.delete", target: "gateway-provider:\(api)", detail: provider)
            return provider
        }
    }

    /// The providers set through Wharf, without their keys.
    public func gatewayProviders() async throws -> [GatewayProvider] {
        try await read { db in try await Self.providers(db).map(\.provider) }
    }

    /// The providers with their keys unsealed, for the gateway: api → (base URL, key).
    public func gatewayProviderKeys() async throws -> [String: (baseURL: String, apiKey: String)] {
        let rows = try await read { db in try await Self.providers(db) }
        var keys: [String: (baseURL: String, apiKey: String)] = [:]
        for row in rows {
            keys[row.provider.api] = (row.provider.baseURL, try secrets.open(Array(row.sealed)))
        }
        return keys
    }

    private static func providers(_ db: any SQLDatabase) async throws -> [(provider: GatewayProvider, sealed: Data)] {
        try await db.select().columns("doc", "key_sealed").from("wharf_gateway_providers").orderBy("api").all().map { row in
            (try JSONColumn.decode(GatewayProvider.self, try row.decode(column: "doc", as: String.self)), try row.decode(column: "key_sealed", as: Data.self))
        }
    }
}

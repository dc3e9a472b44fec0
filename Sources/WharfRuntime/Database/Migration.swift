import SQLKit

/// One versioned schema change. Migrations are append-only: a released one is never edited, a new version
/// is added instead.
public struct Migration: Sendable {
    public var version: Int
    public var name: String
    public var apply: @Sendable (any SQLDatabase, EngineKind) async throws -> Void

    public init(version: Int, name: String, apply: @escaping @Sendable (any SQLDatabase, EngineKind) async throws -> Void) {
        self.version = version
        self.name = name
        self.apply = apply
    }

    /// A migration written as SQL statements, the same on both engines.
    public init(version: Int, name: String, sql statements: [String]) {
        self.init(version: version, name: name) { db, _ in
            for statement in statements { try await db.raw(SQLQueryString(statement)).run() }
        }
    }
}

import Foundation
import SQLKit
import WharfCore

/// Applies pending migrations on start, each in its own transaction with its record, and refuses to touch
/// a database whose schema is newer than this build (an older binary must not write a newer schema). On
/// PostgreSQL each step holds an advisory lock, so replicas starting together take turns.
public struct Migrator: Sendable {
    let engine: any DatabaseEngine
    let migrations: [Migration]
    /// Where applied versions are recorded.
    let table: String

    public init(engine: any DatabaseEngine, migrations: [Migration], table: String = "schema_migrations") {
        self.engine = engine
        self.migrations = migrations
        self.table = table
    }

    /// Returns the versions it applied.
    @discardableResult
    public func migrate(now: Date = Date()) async throws -> [Int] {
        let kind = engine.kind
        let table = table
        try await engine.transaction { db in
            // Concurrent CREATE TABLE IF NOT EXISTS can still collide on PostgreSQL's catalog; take turns.
            if kind == .postgres { try await Self.lock(db, table) }
            try await db.create(table: table).ifNotExists()
                .column("version", type: .bigint, .primaryKey(autoIncrement: false))
                .column("name", type: .text, .notNull)
                .column("applied_ms", type: .bigint, .notNull)
                .run()
        }
        var applied: [Int] = []
        for migration in migrations {
            let done = try await engine.transaction { db -> Bool in
                // Replicas starting together take turns; the later one sees the version applied already.
                if kind == .postgres { try await Self.lock(db, table) }
                let current = try await Self.currentVersion(db, table: table)
                let newest = migrations.map(\.version).max() ?? 0
                if current > newest {
                    throw WharfError(
                        .schemaTooNew,
                        "the database schema is at version \(current) but this build knows versions up to \(newest); run a newer build"
                    )
                }
                guard migration.version > current else { return false }
                try await migration.apply(db, kind)
                try await db.insert(into: table).columns("version", "name", "applied_ms")
                    .values(SQLBind(migration.version), SQLBind(migration.name), SQLBind(Int64(now.timeIntervalSince1970 * 1000)))
                    .run()
                return true
            }
            if done { applied.append(migration.version) }
        }
        return applied
    }

    /// A transaction-scoped advisory lock named after the migrations table.
    static func lock(_ db: any SQLDatabase, _ table: String) async throws {
        try await db.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: table)))").run()
    }

    static func currentVersion(_ db: any SQLDatabase, table: String) async throws -> Int {
        let row = try await db.raw("SELECT MAX(version) AS version FROM \(ident: table)").first()
        return try row?.decodeNil(column: "version") == false ? Int(try row!.decode(column: "version", as: Int64.self)) : 0
    }
}

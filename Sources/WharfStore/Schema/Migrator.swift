import Foundation
import SQLKit
import WharfCore

/// Applies pending migrations on start, each in its own transaction with its record, and refuses to touch
/// a database whose schema is newer than this build (an older binary must not write a newer schema).
struct Migrator {
    let engine: any DatabaseEngine
    let migrations: [Migration]

    /// Returns the versions it applied.
    @discardableResult
    func migrate(now: Date) async throws -> [Int] {
        let kind = engine.kind
        try await engine.transaction { db in
            try await db.create(table: "wharf_schema_migrations").ifNotExists()
                .column("version", type: .bigint, .primaryKey(autoIncrement: false))
                .column("name", type: .text, .notNull)
                .column("applied_ms", type: .bigint, .notNull)
                .run()
        }
        var applied: [Int] = []
        for migration in migrations {
            let done = try await engine.transaction { db -> Bool in
                if kind == .postgres {
                    // Replicas starting together take turns; the loser sees the version already applied.
                    try await db.raw("SELECT pg_advisory_xact_lock(74200001)").run()
                }
                let current = try await Self.currentVersion(db)
                let newest = migrations.map(\.version).max() ?? 0
                if current > newest {
                    throw WharfError(
                        .schemaTooNew,
                        "the database schema is at version \(current) but this wharf knows versions up to \(newest); run a newer wharf"
                    )
                }
                guard migration.version > current else { return false }
                try await migration.apply(db, kind)
                try await db.insert(into: "wharf_schema_migrations").columns("version", "name", "applied_ms")
                    .values(SQLBind(migration.version), SQLBind(migration.name), SQLBind(Int64(now.timeIntervalSince1970 * 1000)))
                    .run()
                return true
            }
            if done { applied.append(migration.version) }
        }
        return applied
    }

    static func currentVersion(_ db: any SQLDatabase) async throws -> Int {
        let row = try await db.raw("SELECT MAX(version) AS version FROM wharf_schema_migrations").first()
        return try row?.decodeNil(column: "version") == false ? Int(try row!.decode(column: "version", as: Int64.self)) : 0
    }
}

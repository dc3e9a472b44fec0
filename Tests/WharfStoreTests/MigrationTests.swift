import SQLKit
import Testing
import WharfCore
import WharfRuntime
import WharfTesting

@testable import WharfStore

@Suite("Migrations")
struct MigrationTests {
    @Test("applies each version once and records it", arguments: TestStore.engines)
    func appliesOnce(engine: EngineKind) async throws {
        try await TestStore.with(engine) { store in
            // TestStore.with migrated already; a second start applies nothing.
            #expect(try await store.migrate() == [])
            let versions = try await store.read { db in
                try await db.select().column("version").from("wharf_schema_migrations").all().map { try $0.decode(column: "version", as: Int64.self) }
            }
            #expect(versions == Migrations.all.map { Int64($0.version) })
        }
    }

    @Test("refuses a database whose schema is newer than this build", arguments: TestStore.engines)
    func refusesNewerSchema(engine: EngineKind) async throws {
        try await TestStore.with(engine) { store in
            try await store.write { db in
                try await db.insert(into: "wharf_schema_migrations").columns("version", "name", "applied_ms")
                    .values(SQLBind(999), SQLBind("from the future"), SQLBind(0)).run()
            }
            let error = await #expect(throws: WharfError.self) { try await store.migrate() }
            #expect(error?.code == .schemaTooNew)
            #expect(error?.message.contains("999") == true)
        }
    }
}

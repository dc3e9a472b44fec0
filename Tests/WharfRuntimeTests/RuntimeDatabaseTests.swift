import Foundation
import Hummingbird
import Logging
import NIOHTTP1
import RuntimeSample
import SQLKit
import Testing
import WharfCore
import WharfRuntime
import WharfTesting

@Suite("Service databases")
struct RuntimeDatabaseTests {
    static let bearer = [("Authorization", "Bearer \(TestRuntime.diagnosticsSecret)")]

    @Test("migrations run at start, data persists across restarts, and the health check covers the database", arguments: [EngineKind.sqlite, .postgres])
    func persists(engine: EngineKind) async throws {
        try await TestRuntime.withDatabase(engine) { database in
            try await TestRuntime.with(SampleService.self, environment: database) { service in
                #expect(try await service.request(.PUT, "/notes/first", body: "remember the milk").status == 201)
                let health = try await service.request(.GET, "/-/healthz", headers: Self.bearer)
                let report = try JSONDecoder().decode(HealthReport.self, from: Data(health.body.utf8))
                #expect(health.status == 200 && report.checks["database"]?.ok == true)
            }
            try await TestRuntime.with(SampleService.self, environment: database) { service in
                let note = try await service.request(.GET, "/notes/first")
                #expect(note.status == 200 && note.body.contains("remember the milk"))
                #expect(try await service.request(.GET, "/notes/second").status == 404)
            }
        }
    }

    @Test("two replicas starting together on PostgreSQL apply each migration once")
    func migrationRace() async throws {
        try await TestRuntime.withDatabase(.postgres) { database in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        try await TestRuntime.with(SampleService.self, environment: database) { service in
                            try await service.request(.GET, "/-/version").status
                        }
                    }
                }
                for try await status in group { #expect(status == 200) }
            }
            let location = DatabaseLocation.postgres(url: database["DATABASE_URL"]!)
            let engine = try await location.open(variable: "DATABASE_URL", logger: .init(label: "test"))
            let (runs, versions) = try await withThrowingTaskGroup(of: (Int, [Int64]).self) { group in
                group.addTask { try await engine.run(); return (0, []) }
                defer { group.cancelAll() }
                return try await engine.read { db in
                    let runs = try await db.raw("SELECT COUNT(*) AS n FROM migration_runs").first()!.decode(column: "n", as: Int.self)
                    let versions = try await db.raw("SELECT version FROM schema_migrations ORDER BY version").all().map { try $0.decode(column: "version", as: Int64.self) }
                    return (runs, versions)
                }
            }
            #expect(runs == 1)
            #expect(versions == [1, 2])
        }
    }

    @Test("a failing initialize step stops start-up with its error and closes the database", arguments: [EngineKind.sqlite, .postgres])
    func failedStart(engine: EngineKind) async throws {
        try await TestRuntime.withDatabase(engine) { database in
            let error = await #expect(throws: WharfError.self) {
                try await TestRuntime.with(FailsToInitialize.self, environment: database) { _ in }
            }
            #expect(error?.message == "the site configuration file is missing")
        }
    }

    @Test("a failing migration stops start-up, on every attempt", arguments: [EngineKind.sqlite, .postgres])
    func failedMigration(engine: EngineKind) async throws {
        try await TestRuntime.withDatabase(engine) { database in
            await #expect(throws: (any Error).self) { try await TestRuntime.with(BrokenMigration.self, environment: database) { _ in } }
            await #expect(throws: (any Error).self) { try await TestRuntime.with(BrokenMigration.self, environment: database) { _ in } }
        }
    }

    @Test("a service that needs a database refuses to start without one, naming the variable")
    func requiresDatabase() async throws {
        let error = await #expect(throws: WharfError.self) {
            try await TestRuntime.with(NeedsDatabase.self) { _ in }
        }
        #expect(error?.message.contains("DATABASE_URL") == true)
    }
}

/// A service whose initialize step fails after its database is open.
struct FailsToInitialize: WharfService {
    static let name = "fails-to-initialize"
    static let version = "0.1.0"
    static func migrations(for version: String) -> [Migration] { [Migration(version: 1, name: "t", sql: ["CREATE TABLE t (x INTEGER)"])] }

    init(context: RuntimeContext) async throws { throw WharfError(.configuration, "the site configuration file is missing") }

    func addRoutes(to router: Router<RuntimeRequestContext>) {}
}

/// A service whose second migration is broken SQL.
struct BrokenMigration: WharfService {
    static let name = "broken-migration"
    static let version = "0.1.0"
    static func migrations(for version: String) -> [Migration] {
        [Migration(version: 1, name: "t", sql: ["CREATE TABLE t (x INTEGER)"]), Migration(version: 2, name: "typo", sql: ["ALTER TABLE t ADD COLUMN"])]
    }

    init(context: RuntimeContext) async throws {}

    func addRoutes(to router: Router<RuntimeRequestContext>) {}
}

/// A service whose migrations make a database mandatory.
struct NeedsDatabase: WharfService {
    static let name = "needs-database"
    static let version = "0.1.0"
    static func migrations(for version: String) -> [Migration] { [Migration(version: 1, name: "t", sql: ["CREATE TABLE t (x INTEGER)"])] }

    init(context: RuntimeContext) async throws {}

    func addRoutes(to router: Router<RuntimeRequestContext>) {}
}

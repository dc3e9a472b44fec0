import Foundation
import Logging
import WharfCore
import WharfRuntime
import WharfStore

/// Runs test bodies against a fresh, migrated store on either engine.
public enum TestStore {
    /// Both engines, for parameterised tests: every store test runs on SQLite and on PostgreSQL.
    public static let engines: [EngineKind] = [.sqlite, .postgres]

    public static let secrets = try! SecretBox(base64Key: SecretBox.generateBase64Key())

    /// Opens an empty store on `engine`, runs it as a service for the duration of `body`, then removes it.
    public static func with<T: Sendable>(
        _ engine: EngineKind, clock: TestClock = TestClock(), _ body: @Sendable (Store) async throws -> T
    ) async throws -> T {
        try await with(engine, now: clock.now, body)
    }

    /// The same with any clock: the wall clock, for tests of loops that run against real processes.
    public static func with<T: Sendable>(
        _ engine: EngineKind, now: @escaping @Sendable () -> Date, _ body: @Sendable (Store) async throws -> T
    ) async throws -> T {
        switch engine {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wharf-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            return try await run(.sqlite(path: directory.appendingPathComponent("wharf.sqlite").path), now: now, body)
        case .postgres:
            return try await TestPostgres.withDatabase { url in try await run(.postgres(url: url), now: now, body) }
        }
    }

    /// Opens the store at `location` and runs `body` while the store's service runs.
    public static func run<T: Sendable>(
        _ location: DatabaseLocation, clock: TestClock = TestClock(), migrate: Bool = true, _ body: @Sendable (Store) async throws -> T
    ) async throws -> T {
        try await run(location, now: clock.now, migrate: migrate, body)
    }

    public static func run<T: Sendable>(
        _ location: DatabaseLocation, now: @escaping @Sendable () -> Date, migrate: Bool = true, _ body: @Sendable (Store) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "wharf.test")
        logger.logLevel = .error
        let store = try await Store.open(location, secrets: secrets, baseDomain: "wharf.test", clock: now, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await store.run() }
            defer { group.cancelAll() }
            if migrate { try await store.migrate() }
            return try await body(store)
        }
    }
}

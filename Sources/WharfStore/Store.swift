import Foundation
import Logging
import SQLKit
import ServiceLifecycle
import WharfCore
import WharfRuntime

/// Wharf's durable state: the registry, tokens, idempotency records and the hash-chained audit log.
///
/// One implementation over SQLKit serves both engines. Every write that changes the registry writes its
/// audit entry in the same transaction, so the log can never miss a change or record one that did not
/// happen. The store is a `Service`: run it in the service group (it owns the database connections),
/// then call `migrate()` before first use.
public struct Store: Service {
    let engine: any DatabaseEngine
    let secrets: SecretBox
    let clock: @Sendable () -> Date
    let baseDomain: String
    /// The calendar SLA deadlines are computed on.
    let calendar: WorkingCalendar
    /// How long a torn-down instance's data is kept.
    let retention: TimeInterval

    public var engineKind: EngineKind { engine.kind }

    /// Opens the database at `location`. `clock` is injected so tests control time.
    public static func open(
        _ location: DatabaseLocation, secrets: SecretBox, baseDomain: String, calendar: WorkingCalendar = .standard,
        retention: TimeInterval = RequestEffect.defaultRetention, clock: @escaping @Sendable () -> Date = Date.init, logger: Logger
    ) async throws -> Store {
        let engine = try await location.open(variable: "WHARF_DATABASE_URL", logger: logger)
        return Store(engine: engine, secrets: secrets, clock: clock, baseDomain: baseDomain, calendar: calendar, retention: retention)
    }

    /// A store over an engine something else runs (a service on the runtime, which opened the database):
    /// do not run this store as a service as well.
    public static func attach(
        _ engine: any DatabaseEngine, secrets: SecretBox, baseDomain: String = "localhost", clock: @escaping @Sendable () -> Date = Date.init
    ) -> Store {
        Store(engine: engine, secrets: secrets, clock: clock, baseDomain: baseDomain, calendar: .standard, retention: RequestEffect.defaultRetention)
    }

    public func run() async throws {
        try await engine.run()
    }

    /// Applies pending schema migrations; returns the versions applied.
    @discardableResult
    public func migrate() async throws -> [Int] {
        let applied = try await Migrator(engine: engine, migrations: Migrations.all, table: "wharf_schema_migrations").migrate(now: now())
        try await fillGatewayTokenHashes()
        return applied
    }

    /// The current time, in whole seconds so values round-trip through JSON unchanged.
    func now() -> Date { WharfJSON.wholeSeconds(clock()) }

    func write<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await engine.transaction(body)
    }

    func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await engine.read(body)
    }
}

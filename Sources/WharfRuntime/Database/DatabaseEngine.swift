import SQLKit
import ServiceLifecycle

/// What a store or a service needs from a database: reads, and writes inside one transaction. Each engine
/// decides how (SQLite: one serialized writer; PostgreSQL: a pooled connection per transaction). The
/// engine is a `Service`: run it in the service group, which owns its connections.
public protocol DatabaseEngine: Service {
    var kind: EngineKind { get }
    func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    /// Runs the engine's connections until the task is cancelled or the service group shuts down.
    func run() async throws
}

/// Which database is behind an engine.
public enum EngineKind: String, Sendable {
    case sqlite, postgres
}

/// A write hit a unique constraint; callers turn it into a `conflict` error that names the field.
public struct UniqueViolation: Error {
    public init() {}
}

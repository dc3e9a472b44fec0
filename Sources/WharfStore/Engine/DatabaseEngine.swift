import SQLKit
import ServiceLifecycle

/// The two things the store needs from a database: reads, and writes inside one transaction. Each engine
/// decides how (SQLite: one serialized writer; PostgreSQL: a pooled connection per transaction).
protocol DatabaseEngine: Sendable {
    var kind: EngineKind { get }
    func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    /// Runs the engine's connections until the task is cancelled or the service group shuts down.
    func run() async throws
}

/// Which database is behind the store.
public enum EngineKind: String, Sendable {
    case sqlite, postgres
}

/// A write hit a unique constraint; the store turns it into a `conflict` error that names the field.
struct UniqueViolation: Error {}

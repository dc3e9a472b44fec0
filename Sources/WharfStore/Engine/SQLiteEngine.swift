import Logging
import SQLKit
import SQLiteKit
import ServiceLifecycle
import Synchronization

/// SQLite in WAL mode: one writer connection behind a FIFO lock (SQLite allows a single writer anyway, and
/// queueing in-process avoids busy retries) and a few reader connections that never block it.
final class SQLiteEngine: DatabaseEngine {
    let kind = EngineKind.sqlite
    private let writer: SQLiteConnection
    private let readers: [SQLiteConnection]
    private let writeLock = AsyncLock()
    private let nextReader = ReaderCounter()

    private init(writer: SQLiteConnection, readers: [SQLiteConnection]) {
        self.writer = writer
        self.readers = readers
    }

    static func open(path: String, readers readerCount: Int = 3, logger: Logger) async throws -> SQLiteEngine {
        let writer = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        for pragma in ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"] {
            try await writer.sql().raw(SQLQueryString(pragma)).run()
        }
        var readers: [SQLiteConnection] = []
        for _ in 0..<readerCount {
            let reader = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            try await reader.sql().raw("PRAGMA query_only=ON").run()
            readers.append(reader)
        }
        return SQLiteEngine(writer: writer, readers: readers)
    }

    func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await body(readers[nextReader.next() % readers.count].sql(queryLogLevel: nil))
    }

    func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let db = writer.sql(queryLogLevel: nil)
        return try await writeLock.withLock {
            try await db.raw("BEGIN IMMEDIATE").run()
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw Self.translate(error)
            }
        }
    }

    func run() async throws {
        try? await gracefulShutdown()
        // The future-based close ignores task cancellation, which is how this service is usually stopped.
        try await writeLock.withLock {
            for connection in self.readers { try await connection.close().get() }
            try await self.writer.close().get()
        }
    }

    private static func translate(_ error: any Error) -> any Error {
        guard let sqliteError = error as? SQLiteError else { return error }
        switch sqliteError.reason {
        case .constraintUniqueFailed, .constraintPrimaryKeyFailed: return UniqueViolation()
        default: return error
        }
    }
}

/// Round-robin over reader connections without a lock.
private final class ReaderCounter: Sendable {
    private let counter = Mutex(0)
    func next() -> Int { counter.withLock { value in value &+= 1; return value & Int.max } }
}

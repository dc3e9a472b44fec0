import Logging
import SQLKit
import SQLiteKit
import ServiceLifecycle
import Synchronization

/// SQLite in WAL mode: one writer connection behind a FIFO lock (SQLite allows a single writer anyway, and
/// queueing in-process avoids busy retries), a few reader connections that never block it, and a
/// checkpointer that copies the WAL into the database in the background while the service runs.
final class SQLiteEngine: DatabaseEngine {
    let kind = EngineKind.sqlite
    private let writer: SQLiteConnection
    private let readers: [SQLiteConnection]
    private let checkpointer: SQLiteConnection
    private let logger: Logger
    private let writeLock = AsyncLock()
    private let nextReader = ReaderCounter()

    private init(writer: SQLiteConnection, readers: [SQLiteConnection], checkpointer: SQLiteConnection, logger: Logger) {
        self.logger = logger
        self.writer = writer
        self.readers = readers
        self.checkpointer = checkpointer
    }

    /// SQLite's own checkpoint runs inside the commit that crosses its threshold, and that commit pays for
    /// copying the pages: create p99 went from 1.7 ms to 6 ms (scripts/bench/registry). Wharf checkpoints
    /// every second from its own connection instead; the automatic one stays as a backstop at a high mark.
    static let automaticCheckpointPages = 10_000
    static let checkpointInterval = Duration.seconds(1)

    static func open(path: String, readers readerCount: Int = 3, logger: Logger) async throws -> SQLiteEngine {
        let writer = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        for pragma in ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON", "PRAGMA wal_autocheckpoint=\(automaticCheckpointPages)"] {
            try await writer.sql().raw(SQLQueryString(pragma)).run()
        }
        var readers: [SQLiteConnection] = []
        for _ in 0..<readerCount {
            let reader = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            try await reader.sql().raw("PRAGMA query_only=ON").run()
            readers.append(reader)
        }
        let checkpointer = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        return SQLiteEngine(writer: writer, readers: readers, checkpointer: checkpointer, logger: logger)
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
        try? await cancelWhenGracefulShutdown { [checkpointer, logger] in
            while !Task.isCancelled {
                try await Task.sleep(for: Self.checkpointInterval)
                do {
                    try await checkpointer.sql().raw("PRAGMA wal_checkpoint(PASSIVE)").run()
                } catch {
                    logger.warning("WAL checkpoint failed; SQLite's automatic checkpoint takes over", metadata: ["error": "\(error)"])
                }
            }
        }
        // The future-based close ignores task cancellation, which is how this service is usually stopped.
        try await writeLock.withLock {
            for connection in self.readers { try await connection.close().get() }
            try await self.checkpointer.close().get()
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

import Logging
import PostgresKit
import PostgresNIO
import SQLKit

/// PostgreSQL through `PostgresClient`'s pool: each transaction leases one connection. Writers that touch
/// the audit log serialise on its head row, which is what keeps the hash chain linear across replicas.
final class PostgresEngine: DatabaseEngine {
    let kind = EngineKind.postgres
    private let client: PostgresClient
    private let logger: Logger

    init(configuration: PostgresClient.Configuration, logger: Logger) {
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.logger = logger
    }

    func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await body(connection.sql(queryLogLevel: nil))
        }
    }

    func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { connection in
                let db = connection.sql(queryLogLevel: nil)
                try await db.raw("BEGIN").run()
                do {
                    let result = try await body(db)
                    try await db.raw("COMMIT").run()
                    return result
                } catch {
                    try? await db.raw("ROLLBACK").run()
                    throw error
                }
            }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw UniqueViolation()
        }
    }

    func run() async throws {
        await client.run()
    }
}

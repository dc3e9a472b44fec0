import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL server the tests use: the one `scripts/test` started, named by `WHARF_TEST_POSTGRES_URL`.
/// Each test gets a database of its own on it, so tests run in parallel without seeing each other.
public enum TestPostgres {
    public static let environmentVariable = "WHARF_TEST_POSTGRES_URL"

    /// The server's URL (to its `postgres` database), or a clear error telling how to get one.
    public static func serverURL() throws -> URLComponents {
        guard let text = ProcessInfo.processInfo.environment[environmentVariable], let url = URLComponents(string: text) else {
            throw TestSetupError(
                "\(environmentVariable) is not set: run the tests with scripts/test, which starts PostgreSQL 15, "
                    + "or point it at a server, e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
            )
        }
        return url
    }

    /// Creates an empty database, passes its URL to `body`, and drops it afterwards.
    public static func withDatabase<T: Sendable>(_ body: (String) async throws -> T) async throws -> T {
        let server = try serverURL()
        let name = "wharf_test_\(UInt64.random(in: 0...UInt64.max))"
        try await admin(server, "CREATE DATABASE \(name)")
        var url = server
        url.path = "/\(name)"
        url.query = "sslmode=disable"
        do {
            let result = try await body(url.string!)
            try await admin(server, "DROP DATABASE \(name) WITH (FORCE)")
            return result
        } catch {
            try? await admin(server, "DROP DATABASE \(name) WITH (FORCE)")
            throw error
        }
    }

    private static func admin(_ server: URLComponents, _ sql: String) async throws {
        let configuration = PostgresConnection.Configuration(
            host: server.host ?? "127.0.0.1", port: server.port ?? 5432, username: server.user ?? "postgres",
            password: server.password, database: "postgres", tls: .disable
        )
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: Logger(label: "wharf.test.postgres"))
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "wharf.test.postgres"))
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

/// The test environment is missing something; the message says what to do.
public struct TestSetupError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

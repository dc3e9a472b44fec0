import Foundation
import PostgresNIO
import WharfCore

/// Where the store lives: a SQLite file (the default) or a PostgreSQL server named by a URL.
public enum DatabaseLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(url: String)

    /// Reads `postgres://user:password@host:port/database?sslmode=disable|prefer|require`.
    func postgresConfiguration() throws(WharfError) -> PostgresClient.Configuration {
        guard case .postgres(let text) = self, let url = URLComponents(string: text),
            url.scheme == "postgres" || url.scheme == "postgresql", let host = url.host, !host.isEmpty
        else {
            throw WharfError(.configuration, "WHARF_DATABASE_URL must look like postgres://user:password@host:5432/database")
        }
        let sslMode = url.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case "disable": tls = .disable
        case "prefer": tls = .prefer(.makeClientConfiguration())
        case "require": tls = .require(.makeClientConfiguration())
        default: throw WharfError(.configuration, "WHARF_DATABASE_URL: sslmode must be disable, prefer or require (got '\(sslMode)')")
        }
        let database = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        return PostgresClient.Configuration(
            host: host, port: url.port ?? 5432, username: url.user ?? "postgres", password: url.password,
            database: database.isEmpty ? nil : database, tls: tls
        )
    }
}

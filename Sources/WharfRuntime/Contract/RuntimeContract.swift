import Foundation
import Logging
import WharfCore

/// The environment every service built on the runtime reads (SPEC §9), in one place. `--help` prints
/// `variables`; `parse` turns the environment into values or stops with one line naming the variable
/// and what it should be.
public struct RuntimeContract: Sendable {
    /// Address to listen on: loopback unless the platform needs all interfaces (`0.0.0.0` on Cloud Run).
    public var host: String
    public var port: Int
    /// Which deployment this is (`acme-prod`, `local`): in logs, traces and `/-/version`.
    public var environmentID: String
    /// Set when Wharf manages the service: the URL of its control plane.
    public var wharfURL: String?
    public var database: DatabaseLocation?
    /// Guards `/-/healthz`; compared in constant time.
    public var diagnosticsSecret: String
    public var logLevel: Logger.Level
    public var logFormat: LogFormat
    /// Where OpenTelemetry traces go (OTLP/HTTP); tracing is off without it.
    public var otlpEndpoint: URL?
    /// What `/-/version` reports; the service's own version unless overridden.
    public var serviceVersion: String

    public static let defaultPort = 9992

    public static let variables: [ContractVariable] = [
        ContractVariable("HOST", help: "address to listen on; 0.0.0.0 for all interfaces", default: "127.0.0.1"),
        ContractVariable("PORT", help: "port to listen on; 0 picks a free one", default: "\(defaultPort)"),
        ContractVariable("ENVIRONMENT_ID", help: "the deployment's id, as in logs and /-/version", default: "local"),
        ContractVariable("WHARF", help: "the managing control plane's URL; set when Wharf runs the service"),
        ContractVariable("DATABASE_URL", help: "postgres://user:password@host:5432/db?sslmode=disable|prefer|require"),
        ContractVariable("SQLITE_PATH", help: "a SQLite file to use instead of PostgreSQL"),
        ContractVariable("DIAGNOSTICS_SECRET", help: "bearer secret for /-/healthz, at least 16 characters", required: true),
        ContractVariable("LOG_LEVEL", help: "trace, debug, info, notice, warning, error or critical", default: "info"),
        ContractVariable("LOG_FORMAT", help: "json or text", default: "json"),
        ContractVariable("OTEL_EXPORTER_OTLP_ENDPOINT", help: "OTLP/HTTP endpoint for traces, e.g. http://127.0.0.1:4318; off when unset"),
        ContractVariable("SERVICE_VERSION", help: "the version /-/version reports", default: "the build's version"),
    ]

    /// Reads the contract from `environment`; the first invalid variable stops it with a one-line error.
    public static func parse(_ environment: [String: String], serviceVersion: String) throws(WharfError) -> RuntimeContract {
        func invalid(_ name: String, _ expected: String) -> WharfError {
            WharfError(.configuration, "\(name) must be \(expected) (got '\(environment[name] ?? "")')")
        }
        let host = environment["HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        var port = defaultPort
        if let text = environment["PORT"] {
            guard let value = Int(text), (0...65_535).contains(value) else { throw invalid("PORT", "a port number from 0 to 65535") }
            port = value
        }
        let environmentID = environment["ENVIRONMENT_ID"] ?? "local"
        guard (try? Slug.parse(environmentID)) != nil else {
            throw invalid("ENVIRONMENT_ID", "3 to 30 lowercase letters, digits and hyphens")
        }
        var wharfURL: String?
        if let text = environment["WHARF"], !text.isEmpty {
            guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else { throw invalid("WHARF", "an http(s) URL") }
            wharfURL = text
        }
        var database: DatabaseLocation?
        switch (environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }, environment["SQLITE_PATH"].flatMap { $0.isEmpty ? nil : $0 }) {
        case (.some, .some): throw WharfError(.configuration, "DATABASE_URL and SQLITE_PATH are both set; set only one")
        case (.some(let url), nil):
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else { throw invalid("DATABASE_URL", "a postgres:// URL") }
            database = .postgres(url: url)
        case (nil, .some(let path)): database = .sqlite(path: path)
        case (nil, nil): database = nil
        }
        guard let secret = environment["DIAGNOSTICS_SECRET"], !secret.isEmpty else {
            throw WharfError(.configuration, "DIAGNOSTICS_SECRET must be set: the bearer secret that guards /-/healthz (at least 16 characters)")
        }
        guard secret.count >= 16 else { throw WharfError(.configuration, "DIAGNOSTICS_SECRET must be at least 16 characters (got \(secret.count))") }
        var logLevel = Logger.Level.info
        if let text = environment["LOG_LEVEL"] {
            guard let level = Logger.Level(rawValue: text) else { throw invalid("LOG_LEVEL", "trace, debug, info, notice, warning, error or critical") }
            logLevel = level
        }
        var logFormat = LogFormat.json
        if let text = environment["LOG_FORMAT"] {
            guard let format = LogFormat(rawValue: text) else { throw invalid("LOG_FORMAT", "json or text") }
            logFormat = format
        }
        var otlpEndpoint: URL?
        if let text = environment["OTEL_EXPORTER_OTLP_ENDPOINT"], !text.isEmpty {
            guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw invalid("OTEL_EXPORTER_OTLP_ENDPOINT", "an http(s) URL such as http://127.0.0.1:4318")
            }
            otlpEndpoint = url
        }
        var version = serviceVersion
        if let text = environment["SERVICE_VERSION"] {
            guard (try? ProductVersion.parse(text)) != nil else { throw invalid("SERVICE_VERSION", "a semantic version such as 1.4.0") }
            version = text
        }
        return RuntimeContract(
            host: host, port: port, environmentID: environmentID, wharfURL: wharfURL, database: database, diagnosticsSecret: secret, logLevel: logLevel,
            logFormat: logFormat, otlpEndpoint: otlpEndpoint, serviceVersion: version
        )
    }
}

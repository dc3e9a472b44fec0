import Foundation
import Logging
import Prometheus

/// What a service gets at start: the parsed contract, its own settings, the database, a logger and the
/// metrics registry `/metrics` renders.
public struct RuntimeContext: Sendable {
    public var contract: RuntimeContract
    /// The whole environment, for the service's declared settings.
    public var environment: [String: String]
    /// Present when `DATABASE_URL` or `SQLITE_PATH` is set; migrated already.
    public var database: (any DatabaseEngine)?
    public var logger: Logger
    public var metrics: PrometheusCollectorRegistry
    /// Command-line arguments after the program name and the runtime's own flags.
    public var arguments: [String]

    /// A declared setting's value, or nil when unset.
    public func setting(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
}

import Hummingbird
import SQLKit
import ServiceLifecycle

/// A service built on the runtime. It declares what it needs (settings, migrations) and how it starts
/// (`init(context:)`), then hands over its routes and background routines; `Runtime.run` does the rest:
/// the environment contract, logs, metrics, traces, `/-/version`, `/-/healthz`, the database and a
/// graceful shutdown.
public protocol WharfService: Sendable {
    /// The service's name, in logs, metrics and `/-/version`.
    static var name: String { get }
    /// The build's version; `SERVICE_VERSION` overrides what `/-/version` reports.
    static var version: String { get }
    /// Variables of the service's own, besides the runtime contract; listed by `--help`.
    static var settings: [ContractVariable] { get }
    /// Schema versions for the service version being run (`SERVICE_VERSION` or `version`), applied in
    /// order at start under a lock before `init(context:)` runs.
    static func migrations(for version: String) -> [Migration]
    /// Whether start-up fails without `DATABASE_URL` or `SQLITE_PATH`.
    static var requiresDatabase: Bool { get }

    /// The initialize step: read settings, open files, check the database. Throwing stops start-up.
    init(context: RuntimeContext) async throws

    /// Adds the service's routes.
    func addRoutes(to router: Router<RuntimeRequestContext>)

    /// Long-lived routines that run beside the HTTP server; they are stopped after it has drained.
    var backgroundServices: [any Service] { get }

    /// Adds the service's own checks to `/-/healthz`; the runtime checks the database itself.
    func checkHealth(into report: inout HealthReport) async
}

extension WharfService {
    public static var settings: [ContractVariable] { [] }
    public static func migrations(for version: String) -> [Migration] { [] }
    public static var requiresDatabase: Bool { !migrations(for: version).isEmpty }
    public var backgroundServices: [any Service] { [] }
    public func checkHealth(into report: inout HealthReport) async {}
}

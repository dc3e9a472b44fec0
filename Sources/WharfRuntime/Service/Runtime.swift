import Foundation
import Hummingbird
import Logging
import OTel
import Prometheus
import ServiceLifecycle
import Tracing
import UnixSignals
import WharfCore

/// Runs a `WharfService`: reads the contract, sets up logs, opens and migrates the database, starts the
/// service and its HTTP server, and on SIGTERM stops accepting connections, drains the requests in flight
/// (for at most `drainTimeout`), stops the background routines and closes the database, in that order.
public enum Runtime {
    /// The longest a graceful shutdown waits for requests in flight and background routines.
    public static let drainTimeout: Duration = .seconds(10)

    /// The one-line entry point of a service's executable: `await Runtime.run(MyService.self)`. Handles
    /// `--help` and `--version`, exits 0 after a graceful shutdown and 1 with one line on a bad start.
    public static func run<S: WharfService>(
        _ service: S.Type, arguments: [String] = Array(CommandLine.arguments.dropFirst()),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async -> Never {
        if arguments.contains("--help") || arguments.contains("-h") {
            print(help(S.self))
            exit(0)
        }
        if arguments.contains("--version") {
            print(S.version)
            exit(0)
        }
        do {
            let contract = try RuntimeContract.parse(environment, serviceVersion: S.version)
            contract.logFormat.bootstrap(level: contract.logLevel)
            try await serve(S.self, contract: contract, environment: environment, arguments: arguments)
            exit(0)
        } catch let error as WharfError {
            FileHandle.standardError.write(Data("\(S.name): \(error.message)\n".utf8))
            exit(1)
        } catch {
            FileHandle.standardError.write(Data("\(S.name): \(error)\n".utf8))
            exit(1)
        }
    }

    /// `--help`: what the service is and every variable of its contract.
    public static func help<S: WharfService>(_ service: S.Type) -> String {
        """
        \(S.name) \(S.version), built on the Wharf runtime.

        Environment:
        \(ContractVariable.helpText(RuntimeContract.variables + S.settings))

        Every service answers GET /-/version, GET /-/healthz (Authorization: Bearer $DIAGNOSTICS_SECRET) and GET /metrics.
        SIGTERM drains requests in flight (at most \(drainTimeout.components.seconds) s) and exits 0.
        """
    }

    /// Runs the service until a shutdown signal or cancellation. Tests and the `wharf` binary call this
    /// directly; `onListening` gets the bound port.
    public static func serve<S: WharfService>(
        _ service: S.Type, contract: RuntimeContract, environment: [String: String], arguments: [String] = [],
        signals: [UnixSignal] = [.sigterm, .sigint], drainTimeout: Duration = drainTimeout,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let logger = {
            var logger = Logger(label: S.name)
            logger.logLevel = contract.logLevel
            logger[metadataKey: "environment"] = .string(contract.environmentID)
            return logger
        }()
        if S.requiresDatabase, contract.database == nil {
            throw WharfError(.configuration, "DATABASE_URL (or SQLITE_PATH) must be set: \(S.name) keeps its data in a database")
        }
        let database: (any DatabaseEngine)? =
            switch contract.database {
            case .sqlite(let path)?: try await DatabaseLocation.sqlite(path: path).open(variable: "SQLITE_PATH", logger: logger)
            case let location?: try await location.open(variable: "DATABASE_URL", logger: logger)
            case nil: nil
            }
        try await withThrowingTaskGroup(of: Void.self) { group in
            if let database { group.addTask { try await database.run() } }
            // The database outlives the service group: it closes only after the server has drained and the
            // background routines have stopped.
            defer { group.cancelAll() }
            if let database {
                let applied = try await Migrator(engine: database, migrations: S.migrations(for: contract.serviceVersion)).migrate()
                if !applied.isEmpty { logger.info("applied schema migrations", metadata: ["versions": "\(applied)"]) }
            }
            let registry = PrometheusCollectorRegistry()
            let context = RuntimeContext(
                contract: contract, environment: environment, database: database, logger: logger, metrics: registry, arguments: arguments
            )
            let started = ContinuousClock.now
            let instance = try await S(context: context)
            let router = Router(context: RuntimeRequestContext.self)
            let telemetry = try contract.otlpEndpoint.map { try Self.tracingBackend(S.self, contract: contract, endpoint: $0, logger: logger) }
            router.add(middleware: RuntimeMiddleware(registry: registry, tracing: telemetry.map { RequestTracing(tracer: $0.tracer) }))
            DiagnosticsRoutes(
                version: .init(service: S.name, version: contract.serviceVersion, environment: contract.environmentID),
                diagnosticsSecret: contract.diagnosticsSecret, database: database, registry: registry,
                serviceChecks: {
                    var report = HealthReport()
                    await instance.checkHealth(into: &report)
                    return report
                }
            ).add(to: router)
            instance.addRoutes(to: router)
            let app = Application(
                router: router, configuration: .init(address: .hostname(contract.host, port: contract.port), serverName: S.name),
                onServerRunning: { channel in
                    let port = channel.localAddress?.port ?? contract.port
                    logger.info(
                        "listening", metadata: ["address": "\(contract.host):\(port)", "version": "\(contract.serviceVersion)", "startup": "\(ContinuousClock.now - started)"]
                    )
                    await onListening(port)
                },
                logger: logger
            )
            // The exporter stops last, so it still sends the spans of the requests drained at shutdown.
            let exporter = telemetry.map { [ServiceGroupConfiguration.ServiceConfiguration(service: $0.exporter)] } ?? []
            var configuration = ServiceGroupConfiguration(
                services: exporter + instance.backgroundServices.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) }
                    + [ServiceGroupConfiguration.ServiceConfiguration(service: app)],
                gracefulShutdownSignals: signals, cancellationSignals: [], logger: logger
            )
            configuration.maximumGracefulShutdownDuration = drainTimeout
            try await ServiceGroup(configuration: configuration).run()
            logger.info("server drained and background routines stopped")
            group.cancelAll()
            try await group.waitForAll()
            logger.info("stopped", metadata: ["database": "\(database == nil ? "none" : "closed")"])
        }
    }

    /// An OTLP/HTTP trace exporter for this service alone; metrics stay on `/metrics` and logs on stderr.
    static func tracingBackend<S: WharfService>(
        _ service: S.Type, contract: RuntimeContract, endpoint: URL, logger: Logger
    ) throws -> (tracer: any Tracer, exporter: any Service) {
        var configuration = OTel.Configuration.default
        configuration.serviceName = S.name
        configuration.resourceAttributes = ["service.version": contract.serviceVersion, "deployment.environment.name": contract.environmentID]
        configuration.diagnosticLogger = .custom(logger)
        configuration.metrics.enabled = false
        configuration.logs.enabled = false
        configuration.traces.otlpExporter.endpoint = endpoint.absoluteString.hasSuffix("/") ? endpoint.absoluteString + "v1/traces" : endpoint.absoluteString + "/v1/traces"
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        return (backend.factory, backend.service)
    }
}

import Foundation
import WharfGateway
import Logging
import WharfCore
import WharfRuntime
import WharfStore

/// Everything `wharf serve` can be told, with defaults that need no configuration at all: SQLite and a
/// generated master key under `.wharf/`, the API on 127.0.0.1:8420.
public struct ServerConfiguration: Sendable {
    /// Address to listen on; loopback unless told otherwise.
    public var host = "127.0.0.1"
    /// Port to listen on; 0 picks a free one (tests).
    public var port = 8420
    /// Where the SQLite database and the generated master key live.
    public var dataDirectory = ".wharf"
    /// `postgres://…` to use PostgreSQL instead of SQLite (`WHARF_DATABASE_URL`).
    public var databaseURL: String?
    /// Base64 of a 32-byte key sealing secrets at rest (`WHARF_MASTER_KEY`); generated into the data
    /// directory when absent.
    public var masterKey: String?
    /// Instances get `<slug>.<baseDomain>` (`WHARF_BASE_DOMAIN`); with `localhost`, browsers resolve
    /// `acme.localhost` to loopback, so the edge answers with no DNS set up.
    public var baseDomain = "localhost"
    /// The edge, the reverse proxy in front of every instance (`WHARF_EDGE_PORT`; 0 picks a free one).
    public var edgePort = 8421
    /// The edge's event-loop threads (`WHARF_EDGE_THREADS`): half the cores by default, because on the
    /// local provider the edge shares the host with the instances it routes to (measured with
    /// `scripts/bench/edge` on 2 cores: one thread halves the p99 against two).
    public var edgeThreads = max(1, ProcessInfo.processInfo.activeProcessorCount / 2)
    /// The AI gateway's port (`WHARF_GATEWAY_PORT`; 0 picks a free one).
    public var gatewayPort = 8422
    /// The AI gateway's providers (`WHARF_AI_ANTHROPIC_KEY`, `WHARF_AI_OPENAI_KEY`, their `_URL`s).
    public var gateway = GatewayConfiguration(upstreams: [:])
    /// Where instances run (`WHARF_PROVIDER`): `local` processes on this machine, or `gcp`, which applies
    /// each instance's generated Terraform and is configured by `WHARF_GCP_*` (see `GCPProviderConfiguration`).
    public var provider: ProviderKind = .local
    /// Where the local provider keeps each instance's data, logs and state (`WHARF_INSTANCES_DIR`);
    /// `instances/` in the data directory when unset.
    public var instancesDirectory: String?
    /// The product each instance runs (`WHARF_PRODUCT_COMMAND`, split on spaces): any command that speaks
    /// the runtime contract. The demo product when unset.
    public var productCommand: [String]?
    /// Whether this process runs the reconciler (`WHARF_RECONCILE`, default true). A replica that should
    /// serve the API only sets it false; several replicas that reconcile share the work through leases.
    public var reconcile = true
    /// Largest request body accepted, in bytes.
    public var maxBodyBytes = 64 * 1024
    public var logLevel: Logger.Level = .info
    /// `json` lines (the default) or `text` (`WHARF_LOG_FORMAT`).
    public var logFormat: LogFormat = .json
    /// How often every active instance is probed; the results are kept per minute.
    public var probeInterval: Duration = .seconds(10)
    /// How often the time-driven rules run (trial expiry, SLA near-breach).
    public var timerInterval: Duration = .seconds(60)
    /// The calendar SLA clocks run on (`WHARF_SLA_TIMEZONE`, `_WEEKEND`, `_WORKING_HOURS`, `_HOLIDAYS`).
    public var slaCalendar: WorkingCalendar = .standard

    public init() {}

    /// Fills members from `WHARF_*` environment variables; flags are applied after this by the caller.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(WharfError) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        if let value = environment["WHARF_DATA_DIR"] { configuration.dataDirectory = value }
        if let value = environment["WHARF_DATABASE_URL"], !value.isEmpty { configuration.databaseURL = value }
        if let value = environment["WHARF_MASTER_KEY"], !value.isEmpty { configuration.masterKey = value }
        if let value = environment["WHARF_BASE_DOMAIN"] {
            do {
                configuration.baseDomain = try DomainName.parse(value)
            } catch {
                throw WharfError(.configuration, "WHARF_BASE_DOMAIN: \(error.message)")
            }
        }
        if let value = environment["WHARF_EDGE_PORT"] {
            guard let port = Int(value), (0...65_535).contains(port) else {
                throw WharfError(.configuration, "WHARF_EDGE_PORT must be a port number from 0 to 65535 (got '\(value)')")
            }
            configuration.edgePort = port
        }
        if let value = environment["WHARF_GATEWAY_PORT"] {
            guard let port = Int(value), (0...65_535).contains(port) else {
                throw WharfError(.configuration, "WHARF_GATEWAY_PORT must be a port number from 0 to 65535 (got '\(value)')")
            }
            configuration.gatewayPort = port
        }
        configuration.gateway = try GatewayConfiguration.fromEnvironment(environment)
        if let value = environment["WHARF_EDGE_THREADS"] {
            guard let threads = Int(value), (1...256).contains(threads) else {
                throw WharfError(.configuration, "WHARF_EDGE_THREADS must be a thread count from 1 to 256 (got '\(value)')")
            }
            configuration.edgeThreads = threads
        }
        if let value = environment["WHARF_PROVIDER"] {
            guard let kind = ProviderKind(rawValue: value) else { throw WharfError(.configuration, "WHARF_PROVIDER must be local or gcp (got '\(value)')") }
            configuration.provider = kind
        }
        if let value = environment["WHARF_INSTANCES_DIR"], !value.isEmpty { configuration.instancesDirectory = value }
        if let value = environment["WHARF_PRODUCT_COMMAND"] {
            let words = value.split(whereSeparator: \.isWhitespace).map(String.init)
            guard !words.isEmpty else { throw WharfError(.configuration, "WHARF_PRODUCT_COMMAND is empty; unset it to run the demo product") }
            configuration.productCommand = words
        }
        if let value = environment["WHARF_RECONCILE"] {
            guard let flag = Bool(value) else { throw WharfError(.configuration, "WHARF_RECONCILE must be true or false (got '\(value)')") }
            configuration.reconcile = flag
        }
        if let value = environment["WHARF_LOG_LEVEL"] {
            guard let level = Logger.Level(rawValue: value) else {
                throw WharfError(.configuration, "WHARF_LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical (got '\(value)')")
            }
            configuration.logLevel = level
        }
        if let value = environment["WHARF_LOG_FORMAT"] {
            guard let format = LogFormat(rawValue: value) else {
                throw WharfError(.configuration, "WHARF_LOG_FORMAT must be json or text (got '\(value)')")
            }
            configuration.logFormat = format
        }
        configuration.slaCalendar = try SLACalendarSettings.calendar(from: environment)
        return configuration
    }

    public enum ProviderKind: String, Sendable, CaseIterable { case local, gcp }

    /// The provider's directory for instances: their data and logs (local) or Terraform modules (gcp).
    public var resolvedInstancesDirectory: String {
        instancesDirectory ?? (dataDirectory as NSString).appendingPathComponent("instances")
    }

    /// The database the configuration names.
    public var databaseLocation: DatabaseLocation {
        if let databaseURL { return .postgres(url: databaseURL) }
        return .sqlite(path: (dataDirectory as NSString).appendingPathComponent("wharf.sqlite"))
    }
}

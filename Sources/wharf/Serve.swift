import ArgumentParser
import Foundation
import Hummingbird
import WharfCore
import WharfGateway
import WharfRuntime
import WharfServer

/// `wharf serve`: runs the API with no configuration needed (SQLite and a key file under `.wharf/`).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the Wharf control plane.",
        discussion: "Environment: WHARF_DATABASE_URL (postgres://…), WHARF_MASTER_KEY, WHARF_DATA_DIR, WHARF_BASE_DOMAIN (default localhost), WHARF_EDGE_PORT (default 8421), WHARF_EDGE_THREADS (default half the cores), WHARF_GATEWAY_PORT (default 8422), WHARF_AI_ANTHROPIC_KEY, WHARF_AI_ANTHROPIC_URL, WHARF_AI_OPENAI_KEY, WHARF_AI_OPENAI_URL, WHARF_PROVIDER (local or gcp; gcp reads WHARF_TERRAFORM, WHARF_GCP_STATE_BUCKET, WHARF_GCP_REGION, WHARF_GCP_BILLING_ACCOUNT, WHARF_GCP_FOLDER_ID, WHARF_GCP_CLOUDFLARE_ZONE_ID, WHARF_GCP_GKE_SECURITY_GROUP, Google credentials and CLOUDFLARE_API_TOKEN), WHARF_INSTANCES_DIR, WHARF_PRODUCT_COMMAND (default: the demo product), WHARF_RECONCILE (default true), WHARF_LOG_LEVEL, WHARF_LOG_FORMAT (json|text); the SLA calendar: WHARF_SLA_TIMEZONE (IANA, default UTC), WHARF_SLA_WEEKEND (default saturday,sunday), WHARF_SLA_WORKING_HOURS (default 9-17), WHARF_SLA_HOLIDAYS (a file of YYYY-MM-DD [name] lines). Logs go to standard error."
    )

    @Option(help: "Address to listen on.") var host: String?
    @Option(help: "Port to listen on (0 picks a free one).") var port: Int?
    @Option(name: .customLong("edge-port"), help: "Port the edge serves instances on (0 picks a free one).") var edgePort: Int?
    @Option(help: "Where instances run: local or gcp.") var provider: ServerConfiguration.ProviderKind?
    @Option(name: .customLong("gateway-port"), help: "Port the AI gateway serves instances on (0 picks a free one).") var gatewayPort: Int?
    @Option(name: .customLong("data-dir"), help: "Directory for the SQLite database and the master key.") var dataDirectory: String?

    func run() async throws {
        try await CommandFailure.exitOnError {
            var configuration = try ServerConfiguration.fromEnvironment()
            if let host { configuration.host = host }
            if let port { configuration.port = port }
            if let edgePort { configuration.edgePort = edgePort }
            if let gatewayPort { configuration.gatewayPort = gatewayPort }
            if let dataDirectory { configuration.dataDirectory = dataDirectory }
            if let provider { configuration.provider = provider }
            configuration.logFormat.bootstrap(level: configuration.logLevel)
            let database = configuration.databaseURL == nil ? "SQLite under \(configuration.dataDirectory)/" : "PostgreSQL"
            let app = try await buildApplication(
                configuration,
                onFirstAdminToken: { issued in
                    Serve.say("""
                        First start: created an admin API token. It is shown only this once; keep it safe.
                            export WHARF_TOKEN=\(issued.secret)
                        """)
                },
                onListening: { host, port in
                    Serve.say("Wharf is listening on http://\(host):\(port) (\(database))\n    export WHARF_URL=http://\(host):\(port)")
                },
                onEdgeListening: { [baseDomain = configuration.baseDomain] port in
                    Serve.say("The edge serves each instance at http://<slug>.\(baseDomain):\(port)")
                },
                onGatewayListening: { [host = configuration.host, providers = configuration.gateway.upstreams.keys.map(\.rawValue).sorted()] port in
                    let serving = providers.isEmpty ? "no provider configured (set WHARF_AI_ANTHROPIC_KEY or WHARF_AI_OPENAI_KEY)" : providers.joined(separator: " and ")
                    Serve.say("The AI gateway listens on http://\(host):\(port) (\(serving))")
                }
            )
            try await app.runService()
        }
    }

    /// Writes a line to standard output at once (print buffers when the output is a pipe or a file).
    static func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}

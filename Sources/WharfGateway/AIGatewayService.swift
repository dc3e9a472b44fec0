import Foundation
import Logging
import Hummingbird
import ServiceLifecycle
import WharfCore
import WharfRuntime
import WharfStore

/// The AI gateway alone, as a service on the Wharf runtime (`wharf gateway serve`): replicas share
/// Wharf's database (`DATABASE_URL`, PostgreSQL for more than one), read instances from it, and get the
/// runtime's health, metrics, logs and graceful shutdown. Instances call the gateway on `WHARF_AI_PORT`;
/// the runtime's own port (`PORT`) serves health, metrics and version, as an admin port beside it.
public struct AIGatewayService: WharfService {
    public static let name = "wharf-gateway"
    public static let version = "0.1.0"
    public static let requiresDatabase = true
    public static var settings: [ContractVariable] {
        [
            ContractVariable("WHARF_MASTER_KEY", help: "the control plane's master key (base64 of 32 bytes); required"),
            ContractVariable("WHARF_AI_PORT", help: "port the instances call the gateway on, at HOST; 0 picks a free one", default: "\(defaultPort)"),
            ContractVariable("WHARF_AI_ANTHROPIC_KEY", help: "the vendor's Anthropic API key; without it /v1/messages is not served"),
            ContractVariable("WHARF_AI_ANTHROPIC_URL", help: "the Anthropic API", default: "https://api.anthropic.com"),
            ContractVariable("WHARF_AI_OPENAI_KEY", help: "the vendor's OpenAI API key; without it /v1/chat/completions is not served"),
            ContractVariable("WHARF_AI_OPENAI_URL", help: "the OpenAI API", default: "https://api.openai.com"),
            ContractVariable("WHARF_AI_PROMPT_TOKEN_LIMIT", help: "prompts estimated above this many tokens are flagged in the log and their usage event"),
            ContractVariable("WHARF_AI_CA_FILE", help: "a PEM file of certificate authorities to trust for https providers besides the system's"),
            ContractVariable("WHARF_AI_LEASE_SECONDS", help: "how long a replica that died holds its concurrency slots and quota blocks", default: "60"),
            ContractVariable("WHARF_AI_BLOCK_LARGE_PROMPTS", help: "true: refuse flagged prompts with a 400 (needs WHARF_AI_PROMPT_TOKEN_LIMIT)", default: "false"),
        ]
    }

    public static let defaultPort = 9993
    let server: GatewayServer

    public init(context: RuntimeContext) async throws {
        guard let database = context.database else { throw WharfError(.configuration, "DATABASE_URL (or SQLITE_PATH) must name Wharf's database") }
        guard let key = context.setting("WHARF_MASTER_KEY") else {
            throw WharfError(.configuration, "WHARF_MASTER_KEY must be set to the control plane's master key")
        }
        let store = Store.attach(database, secrets: try SecretBox(base64Key: key))
        // Migrating is safe beside the control plane (one migrator at a time) and lets the gateway start first.
        _ = try await store.migrate()
        let port = try Self.port(context.setting("WHARF_AI_PORT"))
        let logger = context.logger
        server = GatewayServer(
            store: store, configuration: try GatewayConfiguration.fromEnvironment(context.environment), host: context.contract.host, port: port,
            metrics: context.metrics, logger: logger
        ) { bound in
            logger.notice("The AI gateway listens on http://\(context.contract.host):\(bound)", metadata: ["port": "\(bound)"])
        }
    }

    static func port(_ text: String?) throws(WharfError) -> Int {
        guard let text else { return defaultPort }
        guard let port = Int(text), (0...65_535).contains(port) else {
            throw WharfError(.configuration, "WHARF_AI_PORT must be a port number from 0 to 65535 (got '\(text)')")
        }
        return port
    }

    /// The gateway is served on its own port, not on the runtime's router.
    public func addRoutes(to router: Router<RuntimeRequestContext>) {}

    /// The server drains before the ledger stops (shutdown runs in reverse), so the last settlements are written.
    public var backgroundServices: [any Service] { [server.ledger, server] }
}

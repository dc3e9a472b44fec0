import ArgumentParser
import Foundation
import WharfClient
import WharfCore
import WharfGateway
import WharfRuntime

/// `wharf gateway …`: the AI gateway on its own, for replicas beside the control plane.
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway", abstract: "Run the AI gateway on its own.", subcommands: [Serve.self, Usage.self, Provider.self]
    )

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the AI gateway against Wharf's database (wharf serve runs one already).",
            discussion: Runtime.help(AIGatewayService.self)
        )
        @Option(help: "Port the instances call the gateway on; sets WHARF_AI_PORT.") var port: Int?
        @Option(help: "Port of health, metrics and version; sets PORT.") var adminPort: Int?

        func run() async throws {
            var environment = ProcessInfo.processInfo.environment
            if let port { environment["WHARF_AI_PORT"] = String(port) }
            if let adminPort { environment["PORT"] = String(adminPort) }
            await Runtime.run(AIGatewayService.self, arguments: [], environment: environment)
        }
    }

    struct Usage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Summarise AI gateway usage by instance, feature and UTC day.",
            discussion: "Counts every call an instance made, the errors among them, and the tokens the providers reported (or the gateway counted, when a provider did not say)."
        )
        @OptionGroup var options: ClientOptions
        @Option(help: "First day, YYYY-MM-DD (default: the first of this month).") var since: String?
        @Option(help: "Last day, YYYY-MM-DD (default: today).") var until: String?
        @Option(help: "Only this instance.") var instance: String?

        func run() async throws {
            try await CommandFailure.exitOnError {
                let report = try await options.client.gatewayUsage(since: since, until: until, instance: instance)
                try options.emit(report) {
                    Table(
                        header: ["DAY", "INSTANCE", "FEATURE", "REQUESTS", "ERRORS", "PROMPT TOKENS", "COMPLETION TOKENS", "COUNTED LOCALLY"],
                        rows: report.days.map {
                            [$0.day, $0.instance, $0.feature.rawValue, "\($0.requests)", "\($0.errors)", "\($0.promptTokens)", "\($0.completionTokens)", "\($0.countedLocally)"]
                        }
                    )
                }
            }
        }
    }
}

import ArgumentParser
import Foundation
import WharfGateway
import WharfRuntime

/// `wharf gateway …`: the AI gateway on its own, for replicas beside the control plane.
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway", abstract: "Run the AI gateway on its own.", subcommands: [Serve.self]
    )

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the AI gateway against Wharf's database (wharf serve runs one already).",
            discussion: Runtime.help(AIGatewayService.self)
        )
        @Option(help: "Port to listen on; sets PORT.") var port: Int?

        func run() async throws {
            var environment = ProcessInfo.processInfo.environment
            if let port { environment["PORT"] = String(port) }
            await Runtime.run(AIGatewayService.self, arguments: [], environment: environment)
        }
    }
}

import ArgumentParser
import WharfClient
import WharfCore

extension InstanceCommand {
    /// The token an instance's product sends to the AI gateway; it can also compute it from its licence key.
    struct GatewayTokenCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gateway-token",
            abstract: "Show the token an instance uses with the AI gateway.",
            discussion: "The token is \(GatewayToken.prefix) followed by the hex SHA-256 of the instance's licence key. Each reading is audited."
        )
        @OptionGroup var options: ClientOptions
        @Argument var slug: String

        func run() async throws {
            try await CommandFailure.exitOnError {
                let answer = try await options.client.gatewayToken(slug)
                try options.emit(answer) { .record([("instance", answer.instance), ("token", answer.token), ("header", "Authorization: Bearer \(answer.token)")]) }
            }
        }
    }
}

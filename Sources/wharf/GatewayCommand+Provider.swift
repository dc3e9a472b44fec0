import ArgumentParser
import Foundation
import WharfClient
import WharfCore

extension GatewayCommand {
    /// The vendor's provider keys, kept sealed by Wharf so gateway replicas need no key in their environment.
    struct Provider: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "provider", abstract: "Set, rotate, list and remove the AI providers' keys (admins).", subcommands: [List.self, Set.self, Remove.self]
        )

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the providers set through Wharf; keys show only their last four characters.")
            @OptionGroup var options: ClientOptions

            func run() async throws {
                try await CommandFailure.exitOnError {
                    let providers = try await options.client.gatewayProviders()
                    try options.emit(providers) { Provider.table(providers) }
                }
            }
        }

        struct Set: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Set or rotate a provider's key; replicas use it within seconds.",
                discussion: "The key is read from standard input, so it stays out of shell history: printf %s \"$KEY\" | wharf gateway provider set anthropic"
            )
            @OptionGroup var options: ClientOptions
            @Argument(help: "anthropic or openai.") var api: String
            @Option(name: .customLong("base-url"), help: "The provider's API (default: its public one).") var baseURL: String?

            func run() async throws {
                try await CommandFailure.exitOnError {
                    let key = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                    let provider = try await options.client.setGatewayProvider(api, GatewayProviderUpdate(baseURL: baseURL, apiKey: key))
                    try options.emit(provider) { Provider.table([provider]) }
                }
            }
        }

        struct Remove: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Remove a provider's key: replicas fall back to their environment, or stop serving its API.")
            @OptionGroup var options: ClientOptions
            @Argument(help: "anthropic or openai.") var api: String

            func run() async throws {
                try await CommandFailure.exitOnError {
                    let provider = try await options.client.deleteGatewayProvider(api)
                    try options.emit(provider) { Provider.table([provider]) }
                }
            }
        }

        static func table(_ providers: [GatewayProvider]) -> Table {
            Table(header: ["API", "URL", "KEY", "UPDATED", "BY"], rows: providers.map { [$0.api, $0.baseURL, $0.keyHint, WharfJSON.timestamp($0.updatedAt), $0.updatedBy] })
        }
    }
}

import ArgumentParser
import Foundation
import WharfClient
import WharfCore

struct WebhookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook", abstract: "Send request events (submitted, approved, done, failed, near_breach) to Slack or any HTTP endpoint.",
        subcommands: [List.self, Add.self, Remove.self, Deliveries.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List webhooks.")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await CommandFailure.exitOnError {
                let hooks = try await options.client.webhooks()
                try options.emit(hooks) { WebhookCommand.table(hooks) }
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a webhook; its URL is a secret, read from a file or standard input.")
        @OptionGroup var options: ClientOptions
        @Option var name: String
        @Option(name: .customLong("url-file"), help: "File holding the URL ('-' reads standard input).") var urlFile: String
        @Option(name: .customLong("event"), help: "An event to send; repeat for more (default: all).") var events: [RequestEventKind] = []

        func run() async throws {
            try await CommandFailure.exitOnError {
                let draft = WebhookDraft(name: name, url: try InstanceCommand.readSecret(urlFile), events: events.isEmpty ? nil : events)
                let hook = try await options.client.createWebhook(draft)
                try options.emit(hook) { WebhookCommand.table([hook]) }
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a webhook; pending deliveries are dropped.")
        @OptionGroup var options: ClientOptions
        @Argument var id: String

        func run() async throws {
            try await CommandFailure.exitOnError {
                let hook = try await options.client.deleteWebhook(id)
                try options.emit(hook) { WebhookCommand.table([hook]) }
            }
        }
    }

    struct Deliveries: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A webhook's newest deliveries, with attempts and outcome.")
        @OptionGroup var options: ClientOptions
        @Argument var id: String

        func run() async throws {
            try await CommandFailure.exitOnError {
                let deliveries = try await options.client.webhookDeliveries(id)
                try options.emit(deliveries) {
                    Table(
                        header: ["EVENT", "REQUEST", "STATE", "ATTEMPTS", "LAST", "NEXT"],
                        rows: deliveries.map {
                            [
                                $0.event.rawValue, $0.requestID, $0.state.rawValue, "\($0.attempts)", $0.lastStatus.map(String.init) ?? $0.lastError ?? "-",
                                $0.nextAttemptAt.map(WharfJSON.timestamp) ?? "-",
                            ]
                        }
                    )
                }
            }
        }
    }

    static func table(_ hooks: [Webhook]) -> Table {
        Table(
            header: ["ID", "NAME", "TARGET", "EVENTS", "CREATED"],
            rows: hooks.map { [$0.id, $0.name, $0.target, $0.events.map(\.rawValue).joined(separator: ","), WharfJSON.timestamp($0.createdAt)] }
        )
    }
}

import ArgumentParser
import WharfClient
import WharfCore

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create, list and revoke API tokens (admin).", subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token; its secret is printed once.")
        @OptionGroup var options: ClientOptions
        @Option var name: String
        @Option(help: "admin, operator, requester or viewer.") var role: Role

        func run() async throws {
            try await CommandFailure.exitOnError {
                let issued = try await options.client.createToken(TokenDraft(name: name, role: role))
                try options.emit(issued) {
                    .record([("id", issued.token.id), ("name", issued.token.name), ("role", issued.token.role.rawValue), ("secret (shown once)", issued.secret)])
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their secrets).")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await CommandFailure.exitOnError {
                let tokens = try await options.client.tokens()
                try options.emit(tokens) {
                    Table(
                        header: ["ID", "NAME", "ROLE", "PREFIX", "CREATED", "REVOKED"],
                        rows: tokens.map { [$0.id, $0.name, $0.role.rawValue, $0.prefix + "…", WharfJSON.timestamp($0.createdAt), $0.revokedAt.map(WharfJSON.timestamp) ?? "-"] }
                    )
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token at once.")
        @OptionGroup var options: ClientOptions
        @Argument var id: String

        func run() async throws {
            try await CommandFailure.exitOnError {
                let token = try await options.client.revokeToken(id)
                try options.emit(token) { .record([("id", token.id), ("name", token.name), ("revoked", token.revokedAt.map(WharfJSON.timestamp) ?? "-")]) }
            }
        }
    }
}

import ArgumentParser
import Foundation
import WharfClient
import WharfCore

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Read and verify the hash-chained audit log.", subcommands: [List.self, Verify.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List audit entries, oldest first.")
        @OptionGroup var options: ClientOptions
        @Option(help: "Only entries about this target, e.g. instance:acme-prod.") var target: String?
        @Option(help: "At most this many entries.") var limit: Int = 100

        func run() async throws {
            try await CommandFailure.exitOnError {
                let entries = try await options.client.audit(target: target, limit: limit).items
                try options.emit(entries) { AuditCommand.table(entries) }
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Prove the audit chain intact, or name the first bad entry (exit 8).")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await CommandFailure.exitOnError {
                let result = try await options.client.verifyAudit()
                try options.emit(result) {
                    .record([("intact", result.intact ? "yes" : "NO"), ("entries checked", "\(result.entries)"), ("first bad entry", result.failure.map { "\($0.seq): \($0.problem)" } ?? "-")])
                }
                if !result.intact { throw ExitCode(8) }
            }
        }
    }

    static func table(_ entries: [AuditEntry]) -> Table {
        Table(header: ["SEQ", "AT", "ACTOR", "ACTION", "TARGET"], rows: entries.map { ["\($0.seq)", WharfJSON.timestamp($0.at), $0.actor, $0.action, $0.target] })
    }
}

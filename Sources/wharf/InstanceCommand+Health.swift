import ArgumentParser
import Foundation
import WharfClient
import WharfCore

extension InstanceCommand {
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check an instance: process, port, health check, version, last restarts.",
            discussion: "Exits 0 when the instance is healthy or stopped as wanted, 1 otherwise, so scripts can rely on it."
        )
        @OptionGroup var options: ClientOptions
        @Argument var slug: String

        func run() async throws {
            try await CommandFailure.exitOnError {
                let health = try await options.client.health(slug)
                try options.emit(health) { Check.table(health) }
                if options.output == .table, !health.lastLogLines.isEmpty {
                    print("\nlast log lines:")
                    for line in health.lastLogLines { print("  \(line)") }
                }
                if ![.healthy, .stopped].contains(health.status) { throw ExitCode(1) }
            }
        }

        static func table(_ health: InstanceHealth) -> Table {
            let process = [health.process.state, health.process.pid.map { "pid \($0)" }, health.process.endpoint].compactMap { $0 }.joined(separator: ", ")
            let version = "\(health.version.reported ?? "unknown") (wanted \(health.version.desired)\(health.version.matches ? "" : ", MISMATCH"))"
            let events = health.lastEvents.prefix(5).map { "\(WharfJSON.timestamp($0.at)) \($0.event)" }.joined(separator: "; ")
            return .record([
                ("instance", health.instance), ("state", health.state.rawValue), ("status", health.status.rawValue), ("process", process),
                ("started", health.process.startedAt.map(WharfJSON.timestamp) ?? "-"), ("/-/healthz", health.healthz), ("version", version),
                ("recent crashes", "\(health.recentCrashes)\(health.crashLoop ? " (crash loop)" : "")"),
                ("last hour", "\(health.lastHour.healthy) of \(health.lastHour.probes) probes healthy"), ("last events", events.isEmpty ? "-" : events),
            ])
        }
    }

    struct Logs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an instance's product log; --follow keeps printing new lines.")
        @OptionGroup var options: ClientOptions
        @Argument var slug: String
        @Option(help: "How many of the last lines to show first.") var lines = 100
        @Flag(help: "Keep printing lines as they are logged, until interrupted.") var follow = false

        func run() async throws {
            try await CommandFailure.exitOnError {
                var chunk = try await options.client.logs(slug, lines: lines)
                while true {
                    if !chunk.lines.isEmpty { Serve.say(chunk.lines.joined(separator: "\n")) }
                    guard follow else { return }
                    if chunk.lines.isEmpty { try await Task.sleep(for: .seconds(1)) }
                    chunk = try await options.client.logs(slug, lines: 1000, offset: chunk.offset)
                }
            }
        }
    }
}

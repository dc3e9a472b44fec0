import ArgumentParser
import Foundation
import WharfTesting

/// `wharf-bench`: Wharf's benchmarks, run from `scripts/bench/…` on release builds.
@main
struct WharfBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wharf-bench", abstract: "Benchmark Wharf.", subcommands: [RegistryBench.self, DeadlineBench.self, SLAReportBench.self, RuntimeBench.self, RuntimeBenchServer.self, GatewayBench.self, FakeLLMServer.self, PlanBench.self, FleetBench.self, GenerateBench.self, SpecsCommand.self], defaultSubcommand: RegistryBench.self
    )
}

/// The registry benchmark of the foundation issue. It starts a release `wharf serve` on each engine, fills
/// the registry through the API, and measures what operators feel: create latency, listing latency on any
/// page with a filter, the CLI listing the whole fleet, and the idle memory of the server.
/// `scripts/bench/registry` builds the release binaries, starts PostgreSQL and runs this.
struct RegistryBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "registry", abstract: "Benchmark the registry on SQLite and PostgreSQL.")

    @Option(help: "The wharf binary to benchmark (a release build).") var wharf = ".build/release/wharf"
    @Option(help: "Instances to create in the registry.") var instances = 10_000
    @Option(help: "Concurrent clients while filling the registry (the last 10% are created one at a time).") var concurrency = 8
    @Option(help: "PostgreSQL server to run the PostgreSQL engine on (a database is created and dropped); defaults to WHARF_TEST_POSTGRES_URL.")
    var postgres: String?
    @Option(help: "table or json") var output = "table"

    func run() async throws {
        let scenario = RegistryScenario(wharfBinary: wharf, instances: instances, concurrency: concurrency)
        var reports = [try await scenario.run(engine: "sqlite", databaseURL: nil)]
        if let postgres { setenv(TestPostgres.environmentVariable, postgres, 1) }
        if ProcessInfo.processInfo.environment[TestPostgres.environmentVariable] != nil {
            reports.append(try await TestPostgres.withDatabase { url in try await scenario.run(engine: "postgres", databaseURL: url) })
        } else {
            FileHandle.standardError.write(Data("PostgreSQL skipped: pass --postgres or set \(TestPostgres.environmentVariable)\n".utf8))
        }
        print(output == "json" ? try BenchReport.json(reports) : BenchReport.table(reports))
    }
}

import ArgumentParser
import Foundation
import Hummingbird
import Logging
import WharfRuntime

/// The payload of the trivial JSON route both servers answer.
struct Greeting: ResponseEncodable {
    var hello = "world"
}

/// A service on the runtime with the same trivial route, plus `routes` more so `/metrics` has series to render.
struct BenchService: WharfService {
    static let name = "bench"
    static let version = "1.0.0"
    static var settings: [ContractVariable] { [ContractVariable("BENCH_ROUTES", help: "extra routes to register", default: "50")] }

    let extraRoutes: Int

    init(context: RuntimeContext) async throws {
        extraRoutes = Int(context.setting("BENCH_ROUTES") ?? "50") ?? 50
    }

    func addRoutes(to router: Router<RuntimeRequestContext>) {
        router.get("json") { _, _ in Greeting() }
        for index in 0..<extraRoutes { router.get("route-\(index)") { _, _ in Greeting() } }
    }
}

/// `wharf-bench runtime-server`: one of the two servers the runtime benchmark compares, as a process of
/// its own so wrk measures it alone.
struct RuntimeBenchServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runtime-server", abstract: "Serve the benchmark's JSON route (internal).", shouldDisplay: false)

    @Option(help: "bare (Hummingbird alone) or runtime") var kind: String
    @Option var port: Int

    func run() async throws {
        switch kind {
        case "bare":
            let router = Router()
            router.get("json") { _, _ in Greeting() }
            var logger = Logger(label: "bare")
            logger.logLevel = .warning
            let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
            try await app.runService()
        default:
            var environment = ProcessInfo.processInfo.environment
            environment["PORT"] = String(port)
            environment["DIAGNOSTICS_SECRET"] = RuntimeBench.diagnosticsSecret
            environment["LOG_LEVEL"] = "warning"
            await Runtime.run(BenchService.self, arguments: [], environment: environment)
        }
    }
}

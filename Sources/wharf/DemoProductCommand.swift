import ArgumentParser
import Foundation
import WharfDemoProduct
import WharfRuntime

/// `wharf demo-product`: Wharf's demo product, the product the local fleet runs as each customer's
/// instance. It ships inside the `wharf` binary, so it needs no build step of its own.
struct DemoProductCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-product", abstract: "Run the demo product (a notes site on the Wharf runtime).",
        discussion: Runtime.help(DemoProduct.self)
    )

    @Option(name: .customLong("product-version"), help: "The product version to run (5.3.0 and later have pinned notes); sets SERVICE_VERSION.")
    var productVersion: String?
    @Option(help: "Port to listen on; sets PORT.") var port: Int?

    func run() async throws {
        var environment = ProcessInfo.processInfo.environment
        if let productVersion { environment["SERVICE_VERSION"] = productVersion }
        if let port { environment["PORT"] = String(port) }
        await Runtime.run(DemoProduct.self, arguments: [], environment: environment)
    }
}

import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
import WharfCore
import WharfRuntime
import WharfServer
import WharfStore

/// Builds the real application (the one `wharf serve` runs) on a fresh store of either engine, and hands
/// the test the app and the first admin token it printed.
public enum TestServer {
    /// - Parameter reconcile: run the reconciler, so instances really start (as demo products); off by
    ///   default, so API tests see the registry exactly as they left it.
    public static func with<T: Sendable>(
        _ engine: EngineKind, reconcile: Bool = false, onListening: @escaping @Sendable (Int) async -> Void = { _ in },
        onEdgeListening: @escaping @Sendable (Int) async -> Void = { _ in }, onGatewayListening: @escaping @Sendable (Int) async -> Void = { _ in },
        configure: (inout ServerConfiguration) -> Void = { _ in },
        _ body: @Sendable (any ApplicationProtocol, _ adminToken: @escaping @Sendable () -> String) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wharf-server-\(UUID().uuidString)")
        var configuration = ServerConfiguration()
        defer {
            TestFleet.removeFleet(in: configuration.resolvedInstancesDirectory)
            try? FileManager.default.removeItem(at: directory)
        }
        configuration.port = 0
        configuration.edgePort = 0
        configuration.gatewayPort = 0
        configuration.reconcile = reconcile
        configuration.productCommand = TestFleet.demoProduct
        configuration.dataDirectory = directory.path
        configuration.logLevel = .error
        configuration.masterKey = SecretBox.generateBase64Key()
        configure(&configuration)
        let token = Mutex("")
        let build = { @Sendable (configuration: ServerConfiguration) in
            try await buildApplication(
                configuration, onFirstAdminToken: { issued in token.withLock { $0 = issued.secret } }, onListening: { _, port in await onListening(port) },
                onEdgeListening: onEdgeListening, onGatewayListening: onGatewayListening
            )
        }
        if engine == .postgres {
            return try await TestPostgres.withDatabase { [configuration] url in
                var configuration = configuration
                configuration.databaseURL = url
                return try await body(try await build(configuration), { token.withLock { $0 } })
            }
        }
        return try await body(try await build(configuration), { token.withLock { $0 } })
    }

    /// Runs the real server on a free loopback port (SQLite) and hands the test its URL and admin token,
    /// for tests where another service calls Wharf over HTTP.
    public static func live<T: Sendable>(_ body: @Sendable (_ url: String, _ adminToken: String) async throws -> T) async throws -> T {
        let (ports, port) = AsyncStream<Int>.makeStream()
        return try await with(.sqlite, onListening: { port.yield($0) }) { app, adminToken in
            try await ListeningService.run("wharf", app, ports: ports, port: port) { bound in try await body("http://127.0.0.1:\(bound)", adminToken()) }
        }
    }
}

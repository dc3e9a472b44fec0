import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Logging
import ServiceLifecycle
import WharfRuntime

/// Starts a service built on the runtime in-process, on a free loopback port, with a test contract, and
/// gives the test a small HTTP client for it. The service stops when the body returns.
public enum TestRuntime {
    /// The diagnostics secret of the test contract.
    public static let diagnosticsSecret = "test-diagnostics-secret"

    /// The contract's environment for tests: a free port, text logs at error level, the test secret.
    public static func environment(_ overrides: [String: String] = [:]) -> [String: String] {
        ["PORT": "0", "ENVIRONMENT_ID": "test-env", "DIAGNOSTICS_SECRET": diagnosticsSecret, "LOG_LEVEL": "error", "LOG_FORMAT": "text"]
            .merging(overrides) { _, new in new }
    }

    /// Runs `service` with `environment` (merged over the test contract) until `body` returns.
    public static func with<S: WharfService, T: Sendable>(
        _ service: S.Type, environment overrides: [String: String] = [:], arguments: [String] = [], drainTimeout: Duration = Runtime.drainTimeout,
        _ body: @Sendable (RunningService) async throws -> T
    ) async throws -> T {
        let environment = environment(overrides)
        let contract = try RuntimeContract.parse(environment, serviceVersion: S.version)
        let (ports, port) = AsyncStream<Int>.makeStream()
        let service = ServiceRunner {
            try await Runtime.serve(S.self, contract: contract, environment: environment, arguments: arguments, signals: [], drainTimeout: drainTimeout) {
                port.yield($0)
            }
        }
        return try await ListeningService.run(S.name, service, ports: ports, port: port) { bound in try await body(RunningService(port: bound)) }
    }

    /// Runs `body` with a database location on `engine`: a fresh SQLite file or PostgreSQL database, as
    /// the `SQLITE_PATH` or `DATABASE_URL` variable.
    public static func withDatabase<T: Sendable>(_ engine: EngineKind, _ body: @Sendable ([String: String]) async throws -> T) async throws -> T {
        switch engine {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wharf-runtime-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            return try await body(["SQLITE_PATH": directory.appendingPathComponent("service.sqlite").path])
        case .postgres:
            return try await TestPostgres.withDatabase { url in try await body(["DATABASE_URL": url]) }
        }
    }
}

/// A service started by `TestRuntime`, and a client for it.
public struct RunningService: Sendable {
    public let port: Int

    public init(port: Int) { self.port = port }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// A client that shows redirects to the test instead of following them; it lives as long as the process.
    static let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))

    /// A response as a test reads it.
    public struct Reply: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: String
    }

    public func request(_ method: HTTPMethod = .GET, _ path: String, headers: [(String, String)] = [], body: String? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await Self.client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 16 * 1024 * 1024)
        return Reply(status: Int(response.status.code), headers: response.headers, body: String(buffer: bytes))
    }
}

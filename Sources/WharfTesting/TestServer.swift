import Foundation
import Hummingbird
import Logging
import Synchronization
import WharfCore
import WharfRuntime
import WharfServer
import WharfStore

/// Builds the real application (the one `wharf serve` runs) on a fresh store of either engine, and hands
/// the test the app and the first admin token it printed.
public enum TestServer {
    public static func with<T: Sendable>(
        _ engine: EngineKind, _ body: @Sendable (any ApplicationProtocol, _ adminToken: @escaping @Sendable () -> String) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wharf-server-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.dataDirectory = directory.path
        configuration.logLevel = .error
        configuration.masterKey = SecretBox.generateBase64Key()
        let token = Mutex("")
        if engine == .postgres {
            return try await TestPostgres.withDatabase { [configuration] url in
                var configuration = configuration
                configuration.databaseURL = url
                let app = try await buildApplication(configuration, onFirstAdminToken: { issued in token.withLock { $0 = issued.secret } })
                return try await body(app, { token.withLock { $0 } })
            }
        }
        let app = try await buildApplication(configuration, onFirstAdminToken: { issued in token.withLock { $0 = issued.secret } })
        return try await body(app, { token.withLock { $0 } })
    }
}

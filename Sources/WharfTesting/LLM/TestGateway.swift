import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import WharfCore
import WharfGateway
import WharfRuntime
import WharfStore

/// The AI gateway on a free loopback port, over a fresh store on `engine`, in front of a fake upstream that
/// serves both APIs; with one customer and an instance `acme-prod` whose licence key is `licenceKey`.
public struct TestGateway: Sendable {
    public let url: String
    public let store: Store
    public let upstream: FakeLLMUpstream
    public static let licenceKey = "ACME-LICENCE-KEY-0001"
    public static var token: String { GatewayToken.derive(licenceKey: licenceKey) }

    public static func with<T: Sendable>(
        _ engine: EngineKind, access: Bool = true, configure: @escaping @Sendable (inout GatewayConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (TestGateway) async throws -> T
    ) async throws -> T {
        try await TestStore.with(engine, now: Date.init) { store in
            _ = try await store.createCustomer(Fixtures.customer(), actor: Fixtures.operatorActor)
            var draft = Fixtures.instance("acme-prod")
            draft.licenceKey = licenceKey
            draft.aiGatewayAccess = access
            _ = try await store.createInstance(draft, actor: Fixtures.operatorActor)
            return try await FakeLLMUpstream.with { upstream in
                var configuration = GatewayConfiguration(upstreams: [
                    .anthropic: .init(baseURL: upstream.baseURL, apiKey: upstream.apiKey), .openAI: .init(baseURL: upstream.baseURL, apiKey: upstream.apiKey),
                ])
                // Every change to the registry is seen at once in tests.
                configuration.actorCacheTTL = .zero
                configure(&configuration)
                var logger = Logger(label: "wharf.test.gateway")
                logger.logLevel = .error
                let router = Router()
                let routes = GatewayRoutes(store: store, configuration: configuration, logger: logger)
                routes.add(to: router)
                let (ports, port) = AsyncStream.makeStream(of: Int.self)
                let app = Application(
                    router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "wharf-gateway"), services: [routes.ledger],
                    onServerRunning: { channel in port.yield(channel.localAddress?.port ?? 0) }, logger: logger
                )
                return try await ListeningService.run("gateway", app, ports: ports, port: port) { bound in
                    try await body(TestGateway(url: "http://127.0.0.1:\(bound)", store: store, upstream: upstream))
                }
            }
        }
    }
}

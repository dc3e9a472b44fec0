import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOSSL
import Prometheus
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
    /// This gateway's ledger, to write queued settlements at once (`flush()`).
    public let ledger: GatewayLedger
    /// The registry the gateway's Prometheus series are in.
    public let metrics: PrometheusCollectorRegistry
    public static let slug = "acme-prod"
    public static let licenceKey = "ACME-LICENCE-KEY-0001"
    public static var token: String { GatewayToken.derive(licenceKey: licenceKey) }

    /// Writes the settlements and usage events this gateway has queued.
    public func flush() async { await ledger.flush() }

    /// The gateway's metrics in the Prometheus text format, as `/metrics` shows them.
    public var metricsText: String { String(decoding: metrics.emitToBuffer(), as: UTF8.self) }

    public static func with<T: Sendable>(
        _ engine: EngineKind, access: Bool = true, limits: GatewayLimits = GatewayLimits(), clock: @escaping @Sendable () -> Date = Date.init,
        upstreamTLS: TLSConfiguration? = nil, configure: @escaping @Sendable (inout GatewayConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (TestGateway) async throws -> T
    ) async throws -> T {
        try await TestStore.with(engine, now: clock) { store in
            try await seed(store, access: access, limits: limits)
            return try await FakeLLMUpstream.with(tls: upstreamTLS) { upstream in
                try await serve(store: store, upstream: upstream, clock: clock, configure: configure, body)
            }
        }
    }

    /// `count` gateway replicas, each with its own store (its own connections) on one fresh PostgreSQL
    /// database, in front of one fake upstream: what running the gateway on several machines looks like.
    public static func replicas<T: Sendable>(
        _ count: Int, limits: GatewayLimits, configure: @escaping @Sendable (inout GatewayConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable ([TestGateway]) async throws -> T
    ) async throws -> T {
        try await TestPostgres.withDatabase { url in
            try await FakeLLMUpstream.with { upstream in
                try await TestStore.run(.postgres(url: url), now: Date.init) { store in
                    try await seed(store, access: true, limits: limits)
                    return try await serveReplicas(count, url: url, upstream: upstream, configure: configure, running: []) { try await body($0) }
                }
            }
        }
    }

    private static func serveReplicas<T: Sendable>(
        _ count: Int, url: String, upstream: FakeLLMUpstream, configure: @escaping @Sendable (inout GatewayConfiguration) -> Void,
        running: [TestGateway], _ body: @escaping @Sendable ([TestGateway]) async throws -> T
    ) async throws -> T {
        guard running.count < count else { return try await body(running) }
        return try await TestStore.run(.postgres(url: url), now: Date.init, migrate: false) { store in
            try await serve(store: store, upstream: upstream, clock: Date.init, configure: configure) { gateway in
                try await serveReplicas(count, url: url, upstream: upstream, configure: configure, running: running + [gateway], body)
            }
        }
    }

    private static func seed(_ store: Store, access: Bool, limits: GatewayLimits) async throws {
        _ = try await store.createCustomer(Fixtures.customer(), actor: Fixtures.operatorActor)
        var draft = Fixtures.instance(slug)
        draft.licenceKey = licenceKey
        draft.aiGatewayAccess = access
        _ = try await store.createInstance(draft, actor: Fixtures.operatorActor)
        if !limits.isEmpty {
            var patch = InstancePatch()
            patch.aiGatewayLimits = limits
            _ = try await store.updateInstance(slug: slug, patch, actor: Fixtures.operatorActor)
        }
    }

    private static func serve<T: Sendable>(
        store: Store, upstream: FakeLLMUpstream, clock: @escaping @Sendable () -> Date, configure: @escaping @Sendable (inout GatewayConfiguration) -> Void,
        _ body: @escaping @Sendable (TestGateway) async throws -> T
    ) async throws -> T {
        var configuration = GatewayConfiguration(upstreams: [
            .anthropic: .init(baseURL: upstream.baseURL, apiKey: upstream.apiKey), .openAI: .init(baseURL: upstream.baseURL, apiKey: upstream.apiKey),
        ])
        // Every change to the registry is seen at once in tests.
        configuration.actorCacheTTL = .zero
        configure(&configuration)
        var logger = Logger(label: "wharf.test.gateway")
        logger.logLevel = .error
        let (ports, port) = AsyncStream.makeStream(of: Int.self)
        let metrics = PrometheusCollectorRegistry()
        let server = GatewayServer(store: store, configuration: configuration, host: "127.0.0.1", port: 0, clock: clock, metrics: metrics, logger: logger) { port.yield($0) }
        return try await ListeningService.run("gateway", server.ledger, server, ports: ports, port: port) { bound in
            try await body(TestGateway(url: "http://127.0.0.1:\(bound)", store: store, upstream: upstream, ledger: server.ledger, metrics: metrics))
        }
    }
}

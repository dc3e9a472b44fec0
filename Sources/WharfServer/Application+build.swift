import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle
import WharfControlPlane
import WharfCore
import WharfEdge
import WharfGateway
import WharfProviders
import WharfRuntime
import WharfStore

/// Builds the Wharf server: store, routes, middleware and services. `wharf serve` and the tests call this
/// same function, so what is tested is what runs.
///
/// - Parameters:
///   - onFirstAdminToken: called once, on the first start of an empty store, with the admin token it made;
///     `wharf serve` prints it. It is never logged.
///   - onListening: called with the bound address once the server accepts connections.
///   - onEdgeListening: called with the edge's port once it accepts connections.
///   - onGatewayListening: called with the AI gateway's port once it accepts connections.
public func buildApplication(
    _ configuration: ServerConfiguration,
    clock: @escaping @Sendable () -> Date = Date.init,
    onFirstAdminToken: @escaping @Sendable (IssuedToken) -> Void = { _ in },
    onListening: @escaping @Sendable (String, Int) async -> Void = { _, _ in },
    onEdgeListening: @escaping @Sendable (Int) async -> Void = { _ in },
    onGatewayListening: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    let logger = {
        var logger = Logger(label: "wharf")
        logger.logLevel = configuration.logLevel
        return logger
    }()
    // Before the store opens: a provider that cannot run stops the start with nothing to close.
    let provider = try makeProvider(configuration, clock: clock)
    if case .sqlite = configuration.databaseLocation {
        try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true)
    }
    let store = try await Store.open(
        configuration.databaseLocation, secrets: try MasterKey.load(configuration), baseDomain: configuration.baseDomain,
        calendar: configuration.slaCalendar, clock: clock, logger: logger
    )
    let routes = RouteTable()
    let metrics = PrometheusCollectorRegistry()
    let router = try buildRouter(store: store, provider: provider, metrics: metrics, configuration: configuration)
    let migrated = Readiness()
    var services: [any Service] = [
        store, TimerService(store: store, interval: configuration.timerInterval, migrated: migrated, logger: logger),
        WebhookDispatcher(store: store, http: .shared, pollInterval: .seconds(1), migrated: migrated, logger: logger),
    ]
    let gateway = GatewayServer(
        store: store, configuration: configuration.gateway, host: configuration.host, port: configuration.gatewayPort, clock: clock, metrics: metrics,
        logger: logger, onListening: onGatewayListening
    )
    // The ledger before the gateway's server: shutdown runs in reverse, so the server drains first.
    services += [gateway.ledger, gateway] as [any Service]
    // The edge routes what the reconciler and the prober publish, so it runs only beside them.
    if configuration.reconcile {
        let ready: @Sendable () async -> Void = { await migrated.wait() }
        services += [
            Reconciler(store: store, provider: provider, ingress: routes, clock: clock, ready: ready, logger: logger),
            HealthProber(store: store, provider: provider, ingress: routes, interval: configuration.probeInterval, clock: clock, ready: ready, logger: logger),
            EdgeServer(
                routes: routes, host: configuration.host, port: configuration.edgePort, threads: configuration.edgeThreads, logger: logger,
                onListening: onEdgeListening
            ),
        ] as [any Service]
    }
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "wharf"),
        services: services,
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? configuration.port
            await (provider as? LocalProvider)?.setWharfURL("http://\(configuration.host):\(port)")
            await onListening(configuration.host, port)
        },
        logger: logger
    )
    app.beforeServerStarts {
        let applied = try await store.migrate()
        if !applied.isEmpty { logger.info("applied schema migrations", metadata: ["versions": "\(applied)"]) }
        migrated.open()
        if let token = try await store.createInitialAdminToken() { onFirstAdminToken(token) }
    }
    return app
}

/// The router alone, for tests that drive it in-process.
/// The provider the configuration names; the gcp provider refuses to start without all it needs.
func makeProvider(_ configuration: ServerConfiguration, clock: @escaping @Sendable () -> Date) throws -> any Provider {
    let directory = URL(fileURLWithPath: configuration.resolvedInstancesDirectory).standardizedFileURL.path
    switch configuration.provider {
    case .local:
        return LocalProvider(LocalProviderConfiguration(directory: directory, command: configuration.productCommand ?? LocalProviderConfiguration.demoProduct), clock: clock)
    case .gcp:
        return try GCPProvider(GCPProviderConfiguration.fromEnvironment(directory: directory), clock: clock)
    }
}

func buildRouter(
    store: Store, provider: any Provider, metrics: PrometheusCollectorRegistry, configuration: ServerConfiguration
) throws -> Router<WharfRequestContext> {
    let router = Router(context: WharfRequestContext.self)
    router.add(middleware: HTTPMetricsMiddleware(HTTPServerMetrics(registry: metrics)))
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: LogRequestsMiddleware(.debug))
    router.add(middleware: TokenAuthMiddleware(store: store))
    try MetaRoutes.add(to: router, metrics: metrics)
    let handlers = Handlers(store: store, provider: provider, maxBodyBytes: configuration.maxBodyBytes)
    let v1 = router.group("v1")
    handlers.addCustomerRoutes(to: v1)
    handlers.addInstanceRoutes(to: v1)
    handlers.addInstanceHealthRoutes(to: v1)
    handlers.addGatewayTokenRoute(to: v1)
    handlers.addGatewayUsageRoutes(to: v1)
    handlers.addGatewayProviderRoutes(to: v1)
    handlers.addAccessRoutes(to: v1)
    handlers.addRequestRoutes(to: v1)
    handlers.addWebhookRoutes(to: v1)
    return router
}

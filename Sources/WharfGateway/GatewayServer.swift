import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Prometheus
import ServiceLifecycle
import Synchronization
import WharfCore
import WharfStore

/// The AI gateway's HTTP server, on SwiftNIO directly like the edge: a web framework and a general HTTP
/// client cost several times what relaying a call needs, and the gateway sits on every AI call of every
/// instance. It runs on event loops of its own, each with its pool of connections to the providers.
///
/// Run `ledger` in the same service group, before this server: shutdown runs in reverse, so the server
/// stops accepting, lets every call in flight finish, and only then does the ledger write what is queued.
public struct GatewayServer: Service {
    public let ledger: GatewayLedger
    let admission: GatewayAdmission
    let host: String
    let port: Int
    let threads: Int
    let onListening: @Sendable (Int) async -> Void
    let tasks = TasksInFlight()
    let metrics: GatewayMetrics

    /// Tells a client connection to close once its call in flight is answered.
    struct Quiesce {}

    public init(
        store: Store, configuration: GatewayConfiguration, host: String, port: Int, threads: Int = GatewayServer.defaultThreads,
        clock: @escaping @Sendable () -> Date = Date.init, metrics registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        metrics = GatewayMetrics(registry: registry)
        ledger = GatewayLedger(store: store, leaseDuration: configuration.leaseDuration, clock: clock, metrics: metrics, logger: logger)
        admission = GatewayAdmission(
            configuration: configuration,
            actors: ActorCache(ttl: configuration.actorCacheTTL) { hash in try await store.gatewayActor(tokenHash: hash) },
            ledger: ledger,
            upstreams: UpstreamDirectory(store: store, fallback: configuration.upstreams, ttl: configuration.actorCacheTTL, logger: logger),
            logger: logger
        )
        self.host = host
        self.port = port
        self.threads = threads
        self.onListening = onListening
    }

    /// Half the cores: the rest is for the ledger, the database and the processes beside the gateway.
    public static var defaultThreads: Int { max(1, System.coreCount / 2) }

    public func run() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let pools = try await Self.pools(for: group, caFile: admission.configuration.providerCAFile, logger: admission.logger)
        do {
            try await serve(on: group, pools: pools)
        } catch {
            await tasks.drained()
            await Self.close(pools)
            try? await group.shutdownGracefully()
            throw error
        }
        await tasks.drained()
        await Self.close(pools)
        try await group.shutdownGracefully()
    }

    private func serve(on group: MultiThreadedEventLoopGroup, pools: [NIOLoopBound<UpstreamPool>]) async throws {
        let (admission, tasks, metrics) = (admission, tasks, metrics)
        let open = OpenConnections()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let pool = pools.first(where: { $0.eventLoop === channel.eventLoop }) else { throw ChannelError.ioOnClosedChannel }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withPipeliningAssistance: false, withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(GatewayConnection(admission: admission, pool: pool.value, tasks: tasks, metrics: metrics))
                    open.add(channel)
                }
            }
            .bind(host: host, port: port)
            .get()
        let bound = channel.localAddress?.port ?? port
        admission.logger.info("AI gateway listening", metadata: ["address": "\(host):\(bound)"])
        await onListening(bound)
        try await withTaskCancellationOrGracefulShutdownHandler {
            try await channel.closeFuture.get()
        } onCancelOrGracefulShutdown: {
            channel.close(promise: nil)
        }
        // Every call in flight is answered before the ledger is stopped.
        try? await open.quiesce(on: group.next())
    }

    /// One pool per event loop, made on its loop. Without a usable TLS setup https providers cannot be
    /// called: that stops the start when a CA file was given, and is logged otherwise.
    private static func pools(
        for group: MultiThreadedEventLoopGroup, caFile: String?, logger: Logger
    ) async throws -> [NIOLoopBound<UpstreamPool>] {
        var tls: NIOSSLContext?
        do {
            var configuration = TLSConfiguration.makeClientConfiguration()
            if let caFile { configuration.additionalTrustRoots = [.file(caFile)] }
            tls = try NIOSSLContext(configuration: configuration)
        } catch {
            if let caFile { throw WharfError(.configuration, "the certificate authorities in \(caFile) cannot be used: \(error)") }
            logger.error("TLS unavailable: https providers cannot be called", metadata: ["error": "\(error)"])
        }
        var pools: [NIOLoopBound<UpstreamPool>] = []
        for loop in group.makeIterator() {
            pools.append(try await loop.submit { [tls] in NIOLoopBound(UpstreamPool(eventLoop: loop, tls: tls), eventLoop: loop) }.get())
        }
        return pools
    }

    private static func close(_ pools: [NIOLoopBound<UpstreamPool>]) async {
        for pool in pools {
            try? await pool.eventLoop.submit { pool.value.closeAll() }.get()
        }
    }
}

/// The server's client connections, so a graceful shutdown can ask each to finish and wait for it.
private final class OpenConnections: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    func add(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        channels.withLock { $0[id] = channel }
        channel.closeFuture.whenComplete { [self] _ in channels.withLock { _ = $0.removeValue(forKey: id) } }
    }

    func quiesce(on eventLoop: any EventLoop) async throws {
        let open = channels.withLock { Array($0.values) }
        for channel in open { channel.pipeline.fireUserInboundEventTriggered(GatewayServer.Quiesce()) }
        try await EventLoopFuture.andAllComplete(open.map(\.closeFuture), on: eventLoop).get()
    }
}

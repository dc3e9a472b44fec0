import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// The edge: an HTTP/1.1 reverse proxy on its own port in front of every instance (SPEC §2). Written
/// on SwiftNIO directly rather than on a web framework: it streams parts without buffering, relays
/// WebSocket upgrades, and costs little next to nginx. It runs on event loops of its own, so the API
/// and the control plane's clients never delay a proxied request.
public struct EdgeServer: Service {
    let routes: RouteTable
    let host: String
    let port: Int
    let threads: Int
    let onListening: @Sendable (Int) async -> Void
    let logger: Logger

    public init(
        routes: RouteTable, host: String, port: Int, threads: Int = 1, logger: Logger, onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.routes = routes
        self.host = host
        self.port = port
        self.threads = threads
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        do {
            try await serve(on: group)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        try await group.shutdownGracefully()
    }

    private func serve(on group: MultiThreadedEventLoopGroup) async throws {
        let routes = self.routes
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    // Header validation is off: every header the edge writes was parsed from valid HTTP or set here.
                    // EdgeHandler orders pipelined requests itself.
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withPipeliningAssistance: false, withErrorHandling: true, withOutboundHeaderValidation: false
                    )
                    try channel.pipeline.syncOperations.addHandler(EdgeHandler(routes: routes))
                }
            }
            .bind(host: host, port: port)
            .get()
        let bound = channel.localAddress?.port ?? port
        logger.info("edge listening", metadata: ["address": "\(host):\(bound)"])
        await onListening(bound)
        try await withTaskCancellationOrGracefulShutdownHandler {
            try await channel.closeFuture.get()
        } onCancelOrGracefulShutdown: {
            channel.close(promise: nil)
        }
    }
}

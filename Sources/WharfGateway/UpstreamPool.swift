import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The connections to providers that one event loop's client connections share, kept open between
/// calls: a call takes an idle one or opens one, and gives it back when its answer is complete. Used
/// only on its event loop, so it needs no lock.
final class UpstreamPool {
    let eventLoop: any EventLoop
    private let tls: NIOSSLContext?
    private var idle: [UpstreamEndpoint: [UpstreamConnection]] = [:]
    /// Providers close idle connections after a while; one idle this long is not reused.
    static let maxIdle = TimeAmount.seconds(20)
    static let maxIdlePerEndpoint = 256

    init(eventLoop: any EventLoop, tls: NIOSSLContext?) {
        self.eventLoop = eventLoop
        self.tls = tls
    }

    /// An open connection to `endpoint`, and whether it was used before (a provider may have closed it
    /// meanwhile, so a call that finds it closed before an answer may try once more on a new one).
    func lease(_ endpoint: UpstreamEndpoint, fresh: Bool = false, _ done: @escaping (Result<(UpstreamConnection, reused: Bool), any Error>) -> Void) {
        let now = NIODeadline.now()
        while !fresh, let connection = idle[endpoint]?.popLast() {
            if connection.isActive, now - connection.idleSince < Self.maxIdle { return done(.success((connection, true))) }
            connection.close()
        }
        connect(endpoint, done)
    }

    /// Takes a connection back after a complete answer; one the provider closes, or one too many, is closed.
    func release(_ connection: UpstreamConnection) {
        connection.owner = nil
        guard connection.isActive, connection.reusable, idle[connection.endpoint, default: []].count < Self.maxIdlePerEndpoint else {
            return connection.close()
        }
        connection.idleSince = .now()
        idle[connection.endpoint, default: []].append(connection)
    }

    func closeAll() {
        for connection in idle.values.joined() { connection.close() }
        idle.removeAll()
    }

    private func connect(_ endpoint: UpstreamEndpoint, _ done: @escaping (Result<(UpstreamConnection, reused: Bool), any Error>) -> Void) {
        if endpoint.tls, tls == nil { return done(.failure(UpstreamPoolError.noTLS)) }
        let tls = endpoint.tls ? tls : nil
        ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let tls {
                        let isAddress = (try? SocketAddress(ipAddress: endpoint.host, port: 0)) != nil
                        try pipeline.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: isAddress ? nil : endpoint.host))
                    }
                    try pipeline.addHTTPClientHandlers(leftOverBytesStrategy: .dropBytes, enableOutboundHeaderValidation: false)
                    try pipeline.addHandler(UpstreamConnection(endpoint: endpoint))
                }
            }
            .connect(host: endpoint.host, port: endpoint.port)
            .assumeIsolated()
            .whenComplete { result in
                done(Result { (try result.get().pipeline.syncOperations.handler(type: UpstreamConnection.self), reused: false) })
            }
    }
}

enum UpstreamPoolError: Error, CustomStringConvertible {
    case noTLS

    var description: String { "TLS is not available in this process, so https providers cannot be called" }
}

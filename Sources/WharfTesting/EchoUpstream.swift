import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import Synchronization

/// A small HTTP/1.1 server to put behind the edge, with the behaviours a proxy must carry through:
/// `GET /headers` answers with the request headers as JSON; `POST /echo` streams the request body back
/// part by part as it arrives; `GET /drip` sends a first line at once and the second only when the test
/// calls `release()`; `/ws` accepts a WebSocket upgrade and echoes text frames.
public final class EchoUpstream: Sendable {
    public let port: Int
    let drips: DripQueue

    private init(port: Int, drips: DripQueue) {
        self.port = port
        self.drips = drips
    }

    /// Sends the second line of every `/drip` response waiting for it.
    public func release() { drips.release() }

    public static func with<T: Sendable>(_ body: (EchoUpstream) async throws -> T) async throws -> T {
        let drips = DripQueue()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgrader = NIOWebSocketServerUpgrader(
                        shouldUpgrade: { channel, head in channel.eventLoop.makeSucceededFuture(head.uri == "/ws" ? HTTPHeaders() : nil) },
                        upgradePipelineHandler: { channel, _ in
                            channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(WebSocketEcho()) }
                        }
                    )
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withServerUpgrade: (upgraders: [upgrader], completionHandler: { context in
                            context.pipeline.syncOperations.removeHandler(name: "echo", promise: nil)
                        })
                    )
                    try channel.pipeline.syncOperations.addHandler(EchoHandler(drips: drips), name: "echo")
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let upstream = EchoUpstream(port: channel.localAddress?.port ?? 0, drips: drips)
        defer { channel.close(promise: nil) }
        return try await body(upstream)
    }
}

/// `/drip` responses waiting for the test to release their second line.
final class DripQueue: Sendable {
    private let waiting = Mutex<[@Sendable () -> Void]>([])

    func add(_ send: @escaping @Sendable () -> Void) { waiting.withLock { $0.append(send) } }

    func release() {
        for send in waiting.withLock({ list in defer { list.removeAll() }; return list }) { send() }
    }
}

/// The HTTP side of `EchoUpstream`.
final class EchoHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let drips: DripQueue
    private var head: HTTPRequestHead?

    init(drips: DripQueue) { self.drips = drips }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            if head.uri == "/echo" {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: ["content-type": "text/plain"]))), promise: nil)
            }
        case .body(let body):
            if head?.uri == "/echo" { context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        case .end:
            guard let head else { return }
            switch head.uri {
            case "/echo":
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            case "/drip":
                // Held back before "first" goes out: a client that reads it and releases at once finds it waiting.
                let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                drips.add { [eventLoop = context.eventLoop] in
                    eventLoop.execute {
                        let (handler, context) = bound.value
                        context.write(handler.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "second\n")))), promise: nil)
                        context.writeAndFlush(handler.wrapOutboundOut(.end(nil)), promise: nil)
                    }
                }
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: ["content-type": "text/plain"]))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "first\n")))), promise: nil)
            default:
                var headers: [String: [String]] = [:]
                for (name, value) in head.headers { headers[name.lowercased(), default: []].append(value) }
                let body = (try? JSONEncoder().encode(headers)) ?? Data()
                let response = HTTPResponseHead(
                    version: .http1_1, status: .ok,
                    headers: ["content-type": "application/json", "content-length": String(body.count), "keep-alive": "timeout=5", "x-upstream": "echo"]
                )
                context.write(wrapOutboundOut(.head(response)), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}

/// The WebSocket side of `EchoUpstream`: text frames come back as they were sent.
final class WebSocketEcho: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: frame.unmaskedData)), promise: nil)
        case .connectionClose:
            context.close(promise: nil)
        default:
            break
        }
    }
}

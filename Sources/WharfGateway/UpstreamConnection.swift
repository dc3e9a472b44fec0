import NIOCore
import NIOHTTP1

/// One keep-alive connection to a provider, used by one call at a time: it hands each response part to
/// the client connection that owns it, and reads from the provider only while that client can take more.
final class UpstreamConnection: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    let endpoint: UpstreamEndpoint
    /// The client connection whose call this is; nil while the connection waits in the pool.
    var owner: GatewayConnection?
    /// False once the provider said it closes the connection after this response.
    var reusable = true
    var idleSince = NIODeadline.now()
    private var context: ChannelHandlerContext?
    private var readPending = false

    init(endpoint: UpstreamEndpoint) {
        self.endpoint = endpoint
    }

    var isActive: Bool { context?.channel.isActive ?? false }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    /// Writes a whole request.
    func send(_ head: HTTPRequestHead, body: ByteBuffer) {
        guard let context else { return }
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func close() {
        owner = nil
        context?.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        owner?.upstreamRead(unwrapInboundIn(data), from: self)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        owner?.flushClient()
    }

    func channelInactive(context: ChannelHandlerContext) {
        owner?.upstreamClosed(self)
        owner = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func read(context: ChannelHandlerContext) {
        if owner?.clientIsWritable == false {
            readPending = true
        } else {
            context.read()
        }
    }

    func resumeReads() {
        guard readPending, let context else { return }
        readPending = false
        context.read()
    }
}

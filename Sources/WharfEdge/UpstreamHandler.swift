import NIOCore
import NIOHTTP1

/// The instance side of one proxied client connection: hands each response part to the `EdgeHandler`
/// of its client, and reads from the instance only while the client can take more (backpressure).
final class UpstreamHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    /// Set once the connection is up; cleared when it closes, which also breaks the reference cycle.
    var edge: EdgeHandler?
    private var context: ChannelHandlerContext?
    private var readPending = false

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        edge?.upstreamRead(unwrapInboundIn(data), from: self)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        edge?.flushClient()
    }

    func channelInactive(context: ChannelHandlerContext) {
        edge?.upstreamClosed(self)
        edge = nil
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { edge?.resumeClientReads() }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func read(context: ChannelHandlerContext) {
        if edge?.clientIsWritable == false {
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

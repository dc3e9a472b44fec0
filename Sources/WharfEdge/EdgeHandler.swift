import NIOCore
import NIOHTTP1
import NIOPosix

/// One client connection to the edge: routes each request by its Host to the instance, or answers with
/// an edge page (404 unknown host, 403 not on the allowlist, 503 suspended or starting, 502 not
/// answering). Bodies stream both ways part by part, with backpressure: a side is read only while the
/// other can take more. The connection to the instance is kept across requests to the same instance.
/// A WebSocket upgrade the instance accepts turns the connection into a raw byte relay.
final class EdgeHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    let routes: RouteTable
    private var context: ChannelHandlerContext?

    // The connection to the instance.
    private var upstreamChannel: (any Channel)?
    private var upstreamHandler: UpstreamHandler?
    private var upstreamTarget: String?
    /// Counts connection attempts, so a late answer to a superseded attempt is recognised and dropped.
    private var attempt = 0
    private var connecting = false
    private var pending: [HTTPClientRequestPart] = []

    // The exchange in progress.
    private var requestOpen = false
    private var forwarding = false
    private var responseOpen = false
    private var responseStarted = false
    private var keepAlive = true
    private var upstreamKeepAlive = true
    private var upgradeRequested = false
    private var upgradeResponse: HTTPResponseHead?
    private var slug = ""
    private var readPending = false
    private var clientAddress: (text: String?, bytes: [UInt8]?)?
    /// Pipelined request parts read while the response before them was still open.
    private var queued = CircularBuffer<HTTPServerRequestPart>()
    private var replaying = false

    init(routes: RouteTable) {
        self.routes = routes
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    var clientIsWritable: Bool { context?.channel.isWritable ?? false }

    // MARK: Client side

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        // A pipelined request waits until the response before it is done; reads stop meanwhile, so the
        // queue holds at most one read's worth. (NIO's pipelining handler would do this too, but it
        // stops and restarts reads around every request: two epoll_ctl calls per request.)
        if !queued.isEmpty || (responseOpen && !requestOpen) {
            return queued.append(part)
        }
        handle(part, context: context)
    }

    private func handle(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head(let head):
            begin(head, context: context)
        case .body(let body):
            if forwarding { sendUpstream(.body(.byteBuffer(body)), flush: false) }
        case .end(let trailers):
            requestOpen = false
            if forwarding { sendUpstream(.end(trailers), flush: true) }
            finishIfDone(context)
        }
    }

    private func begin(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        requestOpen = true
        keepAlive = head.isKeepAlive
        guard let hostHeader = head.headers.first(name: "host") else { return answer(.badRequest, context) }
        let host = Self.hostname(hostHeader)
        guard let route = routes.route(host: host) else { return answer(.unknownHost(host), context) }
        let client = self.client(context)
        guard route.admits(client.bytes) else { return answer(.refused(route.slug), context) }
        switch route.target {
        case .suspended: return answer(.suspended(route.slug), context)
        case .notReady: return answer(.notReady(route.slug), context)
        case .ready(let instanceHost, let port):
            slug = route.slug
            forwarding = true
            responseOpen = true
            responseStarted = false
            upgradeRequested = ForwardedHeaders.isWebSocketUpgrade(head)
            connect(host: instanceHost, port: port, context: context)
            let forwarded = ForwardedHeaders.request(head, clientAddress: client.text, host: hostHeader, isUpgrade: upgradeRequested)
            sendUpstream(.head(forwarded), flush: false)
        }
    }

    /// The client's address, read once per connection: as text for `X-Forwarded-For`, as bytes for the allowlist.
    private func client(_ context: ChannelHandlerContext) -> (text: String?, bytes: [UInt8]?) {
        if let clientAddress { return clientAddress }
        let address = context.channel.remoteAddress
        let read = (address?.ipAddress, IPNetwork.bytes(of: address))
        clientAddress = read
        return read
    }

    /// The host name of a Host header: lower case, without the port or a trailing dot.
    static func hostname(_ header: String) -> String {
        var host = Substring(header)
        if host.hasPrefix("[") {
            host = host.prefix { $0 != "]" }.dropFirst()
        } else if let colon = host.lastIndex(of: ":") {
            host = host[..<colon]
        }
        if host.hasSuffix(".") { host = host.dropLast() }
        return host.utf8.contains(where: { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) ? host.lowercased() : String(host)
    }

    /// Writes an edge page as the whole response; the rest of the request body is read and dropped.
    private func answer(_ page: EdgePage, _ context: ChannelHandlerContext) {
        forwarding = false
        responseOpen = false
        let body = page.body(allocator: context.channel.allocator)
        context.write(wrapOutboundOut(.head(page.head(contentLength: body.readableBytes, keepAlive: keepAlive))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        finishIfDone(context)
    }

    /// Once request and response are both complete: close the connection if the client asked for that,
    /// otherwise go on with the requests the client pipelined meanwhile.
    private func finishIfDone(_ context: ChannelHandlerContext) {
        guard !requestOpen, !responseOpen else { return }
        forwarding = false
        guard keepAlive else {
            queued.removeAll()
            return context.close(promise: nil)
        }
        guard !replaying else { return }
        replaying = true
        while !queued.isEmpty, !(responseOpen && !requestOpen) {
            handle(queued.removeFirst(), context: context)
        }
        replaying = false
        if queued.isEmpty { resumeClientReads() }
    }

    func channelInactive(context: ChannelHandlerContext) {
        queued.removeAll()
        dropUpstream()
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { upstreamHandler?.resumeReads() }
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if !queued.isEmpty || upstreamChannel.map({ !$0.isWritable }) == true {
            readPending = true
        } else {
            context.read()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func resumeClientReads() {
        guard readPending, let context else { return }
        readPending = false
        context.read()
    }

    func flushClient() { context?.flush() }

    // MARK: Instance side

    private func connect(host: String, port: Int, context: ChannelHandlerContext) {
        let target = "\(host):\(port)"
        if upstreamTarget == target, connecting || upstreamChannel?.isActive == true { return }
        dropUpstream()
        attempt += 1
        let mine = attempt
        upstreamTarget = target
        connecting = true
        let edge = NIOLoopBound(self, eventLoop: context.eventLoop)
        ClientBootstrap(group: context.eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers(leftOverBytesStrategy: .forwardBytes, enableOutboundHeaderValidation: false)
                    let handler = UpstreamHandler()
                    handler.edge = edge.value
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
            .connect(host: host, port: port)
            .hop(to: context.eventLoop)
            .assumeIsolated()
            .whenComplete { result in edge.value.connected(result, attempt: mine) }
    }

    private func connected(_ result: Result<any Channel, any Error>, attempt: Int) {
        guard attempt == self.attempt, connecting else {
            if case .success(let channel) = result { channel.close(promise: nil) }
            return
        }
        connecting = false
        switch result {
        case .success(let channel):
            upstreamChannel = channel
            upstreamHandler = try? channel.pipeline.syncOperations.handler(type: UpstreamHandler.self)
            for part in pending { channel.write(part, promise: nil) }
            pending.removeAll()
            channel.flush()
        case .failure:
            pending.removeAll()
            upstreamTarget = nil
            instanceFailed()
        }
    }

    private func sendUpstream(_ part: HTTPClientRequestPart, flush: Bool) {
        guard let upstreamChannel, !connecting else { return pending.append(part) }
        upstreamChannel.write(part, promise: nil)
        if flush { upstreamChannel.flush() }
    }

    private func dropUpstream() {
        upstreamHandler?.edge = nil
        upstreamChannel?.close(promise: nil)
        upstreamChannel = nil
        upstreamHandler = nil
        upstreamTarget = nil
        connecting = false
        pending.removeAll()
    }

    /// The instance could not be reached or went away before answering: a 502 page if nothing was sent
    /// yet, otherwise the client's connection is closed (a truncated response must not look complete).
    private func instanceFailed() {
        guard let context, responseOpen else { return }
        if responseStarted {
            context.close(promise: nil)
        } else {
            keepAlive = keepAlive && !requestOpen
            answer(.unreachable(slug), context)
        }
    }

    func upstreamClosed(_ handler: UpstreamHandler) {
        guard handler === upstreamHandler else { return }
        upstreamChannel = nil
        upstreamHandler = nil
        upstreamTarget = nil
        instanceFailed()
    }

    func upstreamRead(_ part: HTTPClientResponsePart, from handler: UpstreamHandler) {
        guard handler === upstreamHandler, let context, responseOpen else { return }
        switch part {
        case .head(var head):
            if head.status == .switchingProtocols, upgradeRequested {
                upgradeResponse = head
                return
            }
            upstreamKeepAlive = head.isKeepAlive
            head.headers = ForwardedHeaders.strippingHopByHop(head.headers)
            if !keepAlive { head.headers.add(name: "connection", value: "close") }
            head.version = .http1_1
            responseStarted = true
            context.write(wrapOutboundOut(.head(head)), promise: nil)
        case .body(let body):
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        case .end(let trailers):
            if let upgrade = upgradeResponse {
                upgradeResponse = nil
                return switchToRelay(upgrade, context: context)
            }
            responseOpen = false
            responseStarted = false
            context.writeAndFlush(wrapOutboundOut(.end(trailers)), promise: nil)
            if !upstreamKeepAlive { dropUpstream() }
            finishIfDone(context)
        }
    }

    // MARK: WebSocket

    /// The instance switched protocols: both connections become a raw byte relay. The HTTP handlers are
    /// removed first (the instance's decoder hands on any bytes that came after its 101), then the 101
    /// goes to the client through the response encoder, which is removed last.
    private func switchToRelay(_ response: HTTPResponseHead, context: ChannelHandlerContext) {
        guard let upstreamChannel, let upstreamHandler else { return context.close(promise: nil) }
        let (clientSide, instanceSide) = RelayHandler.pair()
        upstreamHandler.edge = nil
        self.upstreamChannel = nil
        self.upstreamHandler = nil
        do {
            let instance = upstreamChannel.pipeline.syncOperations
            try instance.addHandler(instanceSide)
            try Self.remove(UpstreamHandler.self, from: instance)
            try Self.remove(HTTPRequestEncoder.self, from: instance)
            try Self.remove(ByteToMessageHandler<HTTPResponseDecoder>.self, from: instance)

            let client = context.pipeline.syncOperations
            try Self.remove(ByteToMessageHandler<HTTPRequestDecoder>.self, from: client)
            try Self.remove(HTTPServerProtocolErrorHandler.self, from: client)
            context.writeAndFlush(wrapOutboundOut(.head(response)), promise: nil)
            try Self.remove(HTTPResponseEncoder.self, from: client)
            try client.addHandler(clientSide)
            client.removeHandler(context: context, promise: nil)
        } catch {
            upstreamChannel.close(promise: nil)
            context.close(promise: nil)
        }
    }

    private static func remove<Handler: RemovableChannelHandler>(_ type: Handler.Type, from pipeline: ChannelPipeline.SynchronousOperations) throws {
        pipeline.removeHandler(context: try pipeline.context(handlerType: type), promise: nil)
    }
}

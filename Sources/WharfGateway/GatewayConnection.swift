import Foundation
import Logging
import NIOCore
import NIOHTTP1
import WharfStore

/// One instance's connection to the gateway, on SwiftNIO directly: each request is read whole (up to
/// the body limit), admitted — on the event loop when this replica's caches and quota blocks suffice,
/// in a task when the database must be asked — and relayed to the provider over a pooled connection;
/// the answer comes back part by part, a stream chunk by chunk, never buffered. Requests a client
/// pipelines wait their turn. Every answer carries `x-wharf-overhead-ms`, the time the gateway added.
final class GatewayConnection: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    let admission: GatewayAdmission
    let pool: UpstreamPool
    let tasks: TasksInFlight
    let metrics: GatewayMetrics
    var context: ChannelHandlerContext?

    // The request being read.
    private var route = GatewayRoute.unknown
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var tooLarge = false

    // The request being answered, from its end until its answer is written.
    var busy = false
    var answerStatus: HTTPResponseStatus?
    var requestID = ""
    var started = ContinuousClock.now
    var keepAlive = true
    var exchange: UpstreamExchange?
    /// Counts requests, so the late result of a task for an earlier one is recognised.
    var serial = 0
    var clientGone = false

    private var quiescing = false
    private var queued = CircularBuffer<HTTPServerRequestPart>()
    private var readPending = false

    init(admission: GatewayAdmission, pool: UpstreamPool, tasks: TasksInFlight, metrics: GatewayMetrics) {
        self.admission = admission
        self.pool = pool
        self.tasks = tasks
        self.metrics = metrics
    }

    var clientIsWritable: Bool { context?.channel.isWritable ?? false }
    var logger: Logger { admission.logger }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    // MARK: Reading requests

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if busy || !queued.isEmpty { return queued.append(part) }
        read(part, context: context)
    }

    private func read(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head(let head):
            self.head = head
            route = GatewayRoute(method: head.method, uri: head.uri)
            body = nil
            tooLarge = false
            if case .call = route, head.headers.first(name: "expect")?.lowercased() == "100-continue" {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))), promise: nil)
            }
        case .body(var chunk):
            guard !tooLarge else { return }
            if (body?.readableBytes ?? 0) + chunk.readableBytes > admission.configuration.maxBodyBytes {
                tooLarge = true
                body = nil
            } else if body == nil {
                body = chunk
            } else {
                body!.writeBuffer(&chunk)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            begin(head, body: body ?? context.channel.allocator.buffer(capacity: 0))
            body = nil
        }
    }

    private func begin(_ head: HTTPRequestHead, body: ByteBuffer) {
        busy = true
        serial += 1
        started = .now
        answerStatus = nil
        metrics.began()
        keepAlive = head.isKeepAlive && !quiescing
        requestID = IncomingCall.requestID(head.headers)
        switch route {
        case .call(let api, let feature):
            if tooLarge {
                return fail(GatewayFailure(.payloadTooLarge, "request_too_large", "the body is larger than \(admission.configuration.maxBodyBytes) bytes"), api: api)
            }
            admit(IncomingCall(api: api, pathFeature: feature, headers: head.headers, body: body, requestID: requestID, started: started))
        case .limits:
            let (admission, headers, requestID) = (admission, head.headers, requestID)
            later({ () async throws(GatewayFailure) -> GatewayReply in await admission.limits(headers, requestID: requestID) }) { [self] result in
                if case .success(let reply) = result { write(reply) }
            }
        case .wrongMethod(let allowed):
            var failure = GatewayFailure(.methodNotAllowed, "invalid_request_error", "\(head.uri) takes \(allowed) only")
            failure.headers.add(name: "allow", value: allowed)
            fail(failure, api: route.api)
        case .unknown:
            fail(.notFound("the gateway serves POST /v1/messages, POST /v1/chat/completions and GET /v1/limits, not \(head.method) \(head.uri)"), api: route.api)
        }
    }

    // MARK: Admission

    /// Decides on the event loop when it can, in a task when it must wait for the database.
    private func admit(_ incoming: IncomingCall) {
        do throws(GatewayFailure) {
            if let identity = try admission.identityNow(incoming) { return try checked(incoming, identity) }
        } catch {
            return fail(error, api: incoming.api)
        }
        let admission = admission
        later({ () async throws(GatewayFailure) -> CallIdentity in try await admission.identity(incoming) }) { [self] result in
            do throws(GatewayFailure) {
                try checked(incoming, try result.get())
            } catch {
                fail(error, api: incoming.api)
            }
        }
    }

    private func checked(_ incoming: IncomingCall, _ identity: CallIdentity) throws(GatewayFailure) {
        let checked = try admission.check(incoming, identity)
        if let call = try admission.reserveNow(checked) { return relay(incoming, checked, call) }
        let admission = admission
        later({ () async throws(GatewayFailure) -> GatewayCall in try await admission.reserve(checked) }) { [self] result in
            switch result {
            case .success(let call): relay(incoming, checked, call)
            case .failure(let failure): fail(failure, api: incoming.api)
            }
        }
    }

    /// Runs `work` in a task and continues with its result on this connection's event loop, unless the
    /// connection went on to another request or closed meanwhile: then a reservation made is given back.
    /// The server keeps its event loops until every such result is back (`TasksInFlight`).
    private func later<T: Sendable>(_ work: @escaping @Sendable () async throws(GatewayFailure) -> T, then: @escaping (Result<T, GatewayFailure>) -> Void) {
        let resume = NIOLoopBound((then, serial, self), eventLoop: pool.eventLoop)
        let (eventLoop, tasks) = (pool.eventLoop, tasks)
        tasks.begin()
        Task {
            let result: Result<T, GatewayFailure>
            do throws(GatewayFailure) { result = .success(try await work()) } catch { result = .failure(error) }
            eventLoop.execute {
                defer { tasks.end() }
                let (then, serial, connection) = resume.value
                guard serial == connection.serial, !connection.clientGone else {
                    return connection.abandon(result)
                }
                then(result)
            }
        }
    }

    /// The result of a task for a client that is gone: a call it admitted is settled as never served.
    private func abandon<T>(_ result: Result<T, GatewayFailure>) {
        let call: GatewayCall? = switch result {
        case .success(let value): value as? GatewayCall
        case .failure(let failure): failure.call
        }
        if let call { settle(call.settlement(status: 499, usage: nil, overhead: .zero)) }
    }

    /// Hands a call's outcome to the ledger, and its tokens and overhead to the metrics.
    func settle(_ settlement: GatewaySettlement) {
        admission.ledger.settle(settlement)
        metrics.settled(settlement)
    }

    // MARK: Answering

    /// Answers with a failure in the called API's format, settling the call if it got that far.
    func fail(_ failure: GatewayFailure, api: UpstreamAPI) {
        var failure = failure
        let overhead = ContinuousClock.now - started
        failure.headers.replaceOrAdd(name: "x-wharf-overhead-ms", value: Self.milliseconds(overhead))
        if let call = failure.call ?? exchange?.call { settle(call.settlement(status: Int(failure.status.code), usage: nil, overhead: overhead)) }
        dropExchange()
        write(failure.reply(api: api, requestID: requestID))
    }

    /// Writes a whole answer and goes on with the next request.
    func write(_ reply: GatewayReply) {
        var headers = reply.headers
        headers.replaceOrAdd(name: "content-length", value: String(reply.body.readableBytes))
        writeHead(reply.status, headers: headers)
        context?.write(wrapOutboundOut(.body(.byteBuffer(reply.body))), promise: nil)
        finish()
    }

    func writeHead(_ status: HTTPResponseStatus, headers: HTTPHeaders) {
        var headers = headers
        if !keepAlive || quiescing { headers.replaceOrAdd(name: "connection", value: "close") }
        answerStatus = status
        context?.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
    }

    func writeBody(_ chunk: ByteBuffer) {
        context?.write(wrapOutboundOut(.body(.byteBuffer(chunk))), promise: nil)
    }

    func flushClient() { context?.flush() }

    /// Ends the answer: closes the connection if the client asked for that, otherwise goes on with the
    /// requests it pipelined meanwhile.
    func finish() {
        ended()
        exchange = nil
        guard let context else { return }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        guard keepAlive, !quiescing else {
            queued.removeAll()
            return context.close(promise: nil)
        }
        while !busy, !queued.isEmpty { read(queued.removeFirst(), context: context) }
        if queued.isEmpty { resumeClientReads() }
    }

    /// Closes the client's connection mid-answer: a cut-off stream must not look complete.
    func abort() {
        ended()
        exchange = nil
        context?.close(promise: nil)
    }

    /// The answer is over, whole or not: it counts in the metrics once, and the next request may begin.
    private func ended() {
        guard busy else { return }
        busy = false
        metrics.answered(route: route, status: answerStatus?.code ?? 499, duration: .now - started)
    }

    // MARK: Connection events

    func channelInactive(context: ChannelHandlerContext) {
        clientGone = true
        queued.removeAll()
        clientClosed()
        // Left while its call waited for admission: the task's result is abandoned, so the answer ends here.
        if exchange == nil { ended() }
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { exchange?.connection?.resumeReads() }
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if !queued.isEmpty {
            readPending = true
        } else {
            context.read()
        }
    }

    private func resumeClientReads() {
        guard readPending, let context else { return }
        readPending = false
        context.read()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is GatewayServer.Quiesce else { return context.fireUserInboundEventTriggered(event) }
        quiescing = true
        if !busy, head == nil { context.close(promise: nil) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    static func milliseconds(_ duration: Duration) -> String {
        String(format: "%.3f", Double(GatewayCall.microseconds(duration)) / 1000)
    }
}

import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import WharfStore

/// A call in flight with the provider.
struct UpstreamExchange {
    var call: GatewayCall
    let api: UpstreamAPI
    let streams: Bool
    let endpoint: UpstreamEndpoint
    let request: (head: HTTPRequestHead, body: ByteBuffer)
    var connection: UpstreamConnection?
    var reused = false
    var retried = false
    var sent = ContinuousClock.now
    var headArrived: ContinuousClock.Instant?
    var status = HTTPResponseStatus.ok
    var contentType: String?
    var collected: ByteBuffer?
    /// Set once the answer streams to the client.
    var scanner: StreamUsageScanner?
    var overhead = Duration.zero
    var timeout: Scheduled<Void>?
}

extension GatewayConnection {
    /// The largest whole answer the gateway holds to read its usage.
    static let maxAnswerBytes = 64 << 20

    func relay(_ incoming: IncomingCall, _ checked: CheckedCall, _ call: GatewayCall) {
        guard let endpoint = checked.upstream.endpoint else {
            metrics.upstream(call.api, .unreachable)
            return fail(Self.unreachable(admission.configuration.defaultRetryAfterSeconds).recording(call), api: call.api)
        }
        let request = UpstreamRequest.make(
            call.api, upstream: checked.upstream, endpoint: endpoint, streams: checked.body.streams, body: incoming.body, requestID: requestID, clientHeaders: incoming.headers
        )
        exchange = UpstreamExchange(call: call, api: call.api, streams: checked.body.streams, endpoint: endpoint, request: request)
        let serial = serial
        let timeout = admission.configuration.upstreamTimeout
        exchange?.timeout = pool.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000)) { [self] in
            timedOut(serial)
        }
        connect(fresh: false)
    }

    private func connect(fresh: Bool) {
        guard let endpoint = exchange?.endpoint else { return }
        let serial = serial
        pool.lease(endpoint, fresh: fresh) { [self] result in
            guard serial == self.serial, exchange != nil else {
                if case .success(let (connection, _)) = result { pool.release(connection) }
                return
            }
            switch result {
            case .success(let (connection, reused)):
                connection.owner = self
                exchange!.connection = connection
                exchange!.reused = reused
                exchange!.sent = .now
                connection.send(exchange!.request.head, body: exchange!.request.body)
            case .failure(let error):
                logger.warning("upstream unreachable", metadata: ["api": "\(exchange!.api.rawValue)", "request": "\(requestID)", "error": "\(error)"])
                metrics.upstream(exchange!.api, .unreachable)
                fail(Self.unreachable(admission.configuration.defaultRetryAfterSeconds), api: exchange!.api)
            }
        }
    }

    func upstreamRead(_ part: HTTPClientResponsePart, from connection: UpstreamConnection) {
        guard connection === exchange?.connection else { return }
        switch part {
        case .head(let head): upstreamHead(head, from: connection)
        case .body(var chunk):
            if exchange!.scanner != nil {
                exchange!.scanner!.consume(chunk.readableBytesView)
                writeBody(chunk)
            } else if (exchange!.collected?.readableBytes ?? 0) + chunk.readableBytes > Self.maxAnswerBytes {
                metrics.upstream(exchange!.api, .cutOff)
                fail(Self.cutOff(admission.configuration.defaultRetryAfterSeconds), api: exchange!.api)
            } else if exchange!.collected == nil {
                exchange!.collected = chunk
            } else {
                exchange!.collected!.writeBuffer(&chunk)
            }
        case .end: upstreamEnd(connection)
        }
    }

    private func upstreamHead(_ head: HTTPResponseHead, from connection: UpstreamConnection) {
        let arrived = ContinuousClock.now
        exchange!.headArrived = arrived
        if !head.isKeepAlive { connection.reusable = false }
        if head.status == .tooManyRequests || head.status.code >= 500 {
            // The provider's quota is shared by every customer: not this instance's limit, so not a 429.
            let retryAfter = head.headers.first(name: "retry-after").flatMap(Int.init) ?? admission.configuration.defaultRetryAfterSeconds
            metrics.upstream(exchange!.api, .busy)
            let message = "the AI provider is busy (it answered \(head.status.code)); try again after \(retryAfter) s"
            return fail(GatewayFailure(.serviceUnavailable, "overloaded_error", message, retryAfter: retryAfter), api: exchange!.api)
        }
        exchange!.status = head.status
        exchange!.contentType = head.headers.first(name: "content-type")
        guard exchange!.streams, head.status == .ok else { return }
        if clientGone {
            // Nobody to stream to: settle what the prompt cost and stop the provider.
            return endStream(complete: false)
        }
        let overhead = (exchange!.sent - exchange!.call.started) + (ContinuousClock.now - arrived)
        exchange!.overhead = overhead
        exchange!.scanner = StreamUsageScanner(api: exchange!.api)
        var headers = answerHeaders(overhead: overhead)
        headers.add(name: "cache-control", value: "no-cache")
        writeHead(.ok, headers: headers)
        flushClient()
    }

    private func upstreamEnd(_ connection: UpstreamConnection) {
        guard var exchange else { return }
        exchange.timeout?.cancel()
        exchange.connection = nil
        self.exchange = exchange
        pool.release(connection)
        if exchange.scanner != nil { return endStream(complete: true) }
        let collected = exchange.collected ?? ByteBuffer()
        let collectedAt = ContinuousClock.now
        let usage = TokenUsage.reported(in: Data(buffer: collected, byteTransferStrategy: .noCopy), api: exchange.api)
        let overhead = (exchange.sent - exchange.call.started) + (ContinuousClock.now - collectedAt)
        let status = exchange.status
        settle(exchange.call.settlement(status: Int(status.code), usage: usage ?? TokenUsage(), counted: usage == nil && status == .ok, overhead: overhead))
        write(GatewayReply(status: status, headers: answerHeaders(overhead: overhead), body: collected))
    }

    /// Settles a stream with the usage that passed: complete, or cut short by either side.
    private func endStream(complete: Bool) {
        guard let exchange else { return }
        let scanner = exchange.scanner ?? StreamUsageScanner(api: exchange.api)
        let (usage, counted) = scanner.usage(promptEstimate: exchange.call.promptEstimate)
        settle(exchange.call.settlement(status: 200, usage: usage, counted: counted, overhead: exchange.overhead))
        if complete {
            finish()
        } else {
            logger.info("stream ended early", metadata: ["request": "\(exchange.call.requestID)", "instance": "\(exchange.call.instance)"])
            dropExchange()
            abort()
        }
    }

    private func answerHeaders(overhead: Duration) -> HTTPHeaders {
        let call = exchange!.call
        var headers = RateLimitHeaders.fields(call.reservation?.standings ?? [], now: call.at)
        headers.add(name: "x-request-id", value: call.requestID)
        headers.add(name: "content-type", value: exchange!.contentType ?? "application/json")
        headers.add(name: "x-wharf-overhead-ms", value: Self.milliseconds(overhead))
        return headers
    }

    /// The provider closed the connection before its answer was complete.
    func upstreamClosed(_ connection: UpstreamConnection) {
        guard connection === exchange?.connection else { return }
        exchange!.connection = nil
        if exchange!.headArrived == nil, exchange!.reused, !exchange!.retried {
            // A kept connection the provider had closed meanwhile: once more, on a new one.
            exchange!.retried = true
            return connect(fresh: true)
        }
        metrics.upstream(exchange!.api, exchange!.headArrived == nil ? .unreachable : .cutOff)
        if exchange!.scanner != nil { return endStream(complete: false) }
        let retryAfter = admission.configuration.defaultRetryAfterSeconds
        fail(exchange!.headArrived == nil ? Self.unreachable(retryAfter) : Self.cutOff(retryAfter), api: exchange!.api)
    }

    /// The client went away. A stream stops and settles what passed; a whole answer is still awaited,
    /// so the call is settled with what the provider reports.
    func clientClosed() {
        guard exchange?.scanner != nil else { return }
        endStream(complete: false)
    }

    private func timedOut(_ serial: Int) {
        guard serial == self.serial, let exchange else { return }
        let seconds = admission.configuration.upstreamTimeout.components.seconds
        logger.warning("upstream timed out", metadata: ["api": "\(exchange.api.rawValue)", "request": "\(requestID)", "seconds": "\(seconds)"])
        metrics.upstream(exchange.api, .timeout)
        if exchange.scanner != nil { return endStream(complete: false) }
        fail(
            GatewayFailure(.serviceUnavailable, "overloaded_error", "the AI provider did not answer within \(seconds) s; try again", retryAfter: admission.configuration.defaultRetryAfterSeconds),
            api: exchange.api
        )
    }

    /// Forgets the call in flight; its connection to the provider is closed, as its answer is unfinished.
    func dropExchange() {
        guard let exchange else { return }
        exchange.timeout?.cancel()
        exchange.connection?.close()
        self.exchange = nil
    }

    static func unreachable(_ retryAfter: Int) -> GatewayFailure {
        GatewayFailure(.serviceUnavailable, "overloaded_error", "the AI provider could not be reached; try again shortly", retryAfter: retryAfter)
    }

    static func cutOff(_ retryAfter: Int) -> GatewayFailure {
        GatewayFailure(.serviceUnavailable, "overloaded_error", "the AI provider's answer was cut off; try again", retryAfter: retryAfter)
    }
}

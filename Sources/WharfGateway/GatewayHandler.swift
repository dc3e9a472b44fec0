import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import WharfCore
import WharfStore

/// One proxied call: authenticate the instance, check the body and the instance's limits, reserve, relay
/// it to the provider with the vendor's key, relay the answer back — a stream chunk by chunk, never
/// buffered — and settle what was used. Every answer carries `x-wharf-overhead-ms`, the time the gateway
/// added on top of the provider's; no prompt or answer text is ever logged.
struct GatewayHandler: Sendable {
    let configuration: GatewayConfiguration
    let actors: ActorCache
    let ledger: GatewayLedger
    let upstreams: UpstreamDirectory
    let http: HTTPClient
    let logger: Logger

    func handle(_ request: Request, api: UpstreamAPI, pathFeature: String?) async -> Response {
        let started = ContinuousClock.now
        let requestID = Self.requestID(of: request)
        var call: GatewayCall?
        do {
            let admitted = try await admit(request, api: api, pathFeature: pathFeature, requestID: requestID, started: started, call: &call)
            return try await relay(admitted.body, data: admitted.data, call: admitted.call, upstream: admitted.upstream, clientHeaders: request.headers)
        } catch {
            var failure = error
            let overhead = ContinuousClock.now - started
            failure.headers[HTTPField.Name("x-wharf-overhead-ms")!] = Self.milliseconds(overhead)
            if let call { ledger.settle(call.settlement(status: failure.status.code, usage: nil, overhead: overhead)) }
            return failure.response(api: api, requestID: requestID)
        }
    }

    /// Everything before the provider is called: who, what, whether it is allowed, and the reservation.
    /// `call` is filled in as soon as the body is read, so a refusal after that is recorded too.
    private func admit(
        _ request: Request, api: UpstreamAPI, pathFeature: String?, requestID: String, started: ContinuousClock.Instant, call: inout GatewayCall?
    ) async throws(GatewayFailure) -> (body: GatewayRequestBody, data: Data, call: GatewayCall, upstream: GatewayConfiguration.Upstream) {
        let actor = try await authenticate(request)
        let feature = try Self.feature(of: request, pathFeature: pathFeature)
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else {
            throw GatewayFailure(.unsupportedMediaType, "invalid_request_error", "Content-Type must be application/json")
        }
        let data: Data
        do {
            data = Data(buffer: try await request.body.collect(upTo: configuration.maxBodyBytes))
        } catch {
            throw GatewayFailure(.contentTooLarge, "request_too_large", "the body is larger than \(configuration.maxBodyBytes) bytes")
        }
        let body = try GatewayRequestBody.parse(data, api: api)
        guard let upstream = await upstreams.upstream(api) else {
            throw GatewayFailure(.notFound, "not_found_error", "this gateway has no \(api.rawValue) upstream configured")
        }
        let promptEstimate = GatewayRequestBody.promptTokens(bodyBytes: data.count)
        let flagged = configuration.promptTokenLimit.map { promptEstimate > $0 } ?? false
        var admitted = GatewayCall(
            instance: actor.slug, feature: feature, model: body.model, api: api, requestID: requestID, streamed: body.streams,
            promptEstimate: promptEstimate, promptFlagged: flagged, at: ledger.clock(), started: started
        )
        call = admitted
        let limits = actor.limits[feature]
        guard limits.allows(model: body.model) else {
            throw .permission("the model \(body.model) is not allowed for \(feature.rawValue) on the instance \(actor.slug); allowed: \(limits.models!.joined(separator: ", "))")
        }
        if flagged {
            logger.warning("prompt over the size limit", metadata: [
                "request": "\(requestID)", "instance": "\(actor.slug)", "estimated_tokens": "\(promptEstimate)", "blocked": "\(configuration.blockLargePrompts)",
            ])
            if configuration.blockLargePrompts {
                throw .invalid("the prompt is about \(promptEstimate) tokens, more than this gateway accepts (\(configuration.promptTokenLimit!)); shorten it")
            }
        }
        do {
            admitted.reservation = try await ledger.reserve(
                slug: actor.slug, feature: feature, limits: limits, estimatedTokens: body.estimatedTokens(promptTokens: promptEstimate)
            )
        } catch let refusal as GatewayQuotaExceeded {
            throw Self.refused(refusal, feature: feature, instance: actor.slug, now: admitted.at)
        } catch {
            logger.error("reservation failed", metadata: ["request": "\(requestID)", "error": "\(error)"])
            throw GatewayFailure(.serviceUnavailable, "api_error", "the gateway cannot check limits right now; try again shortly", retryAfter: 1)
        }
        call = admitted
        return (body, data, admitted, upstream)
    }

    /// Calls the provider and relays its answer, settling the call when the answer is complete.
    private func relay(
        _ body: GatewayRequestBody, data: Data, call: GatewayCall, upstream: GatewayConfiguration.Upstream, clientHeaders: HTTPFields
    ) async throws(GatewayFailure) -> Response {
        let sent = ContinuousClock.now
        let answer: HTTPClientResponse
        do {
            answer = try await http.execute(
                UpstreamRequest.make(call.api, upstream: upstream, body: body, data: data, requestID: call.requestID, clientHeaders: clientHeaders),
                timeout: .seconds(configuration.upstreamTimeout.components.seconds)
            )
        } catch {
            logger.warning("upstream unreachable", metadata: ["api": "\(call.api.rawValue)", "request": "\(call.requestID)", "error": "\(error)"])
            throw GatewayFailure(.serviceUnavailable, "overloaded_error", "the AI provider could not be reached; try again shortly", retryAfter: configuration.defaultRetryAfterSeconds)
        }
        let headersArrived = ContinuousClock.now
        if answer.status == .tooManyRequests || answer.status.code >= 500 {
            // The provider's quota is shared by every customer: not this instance's limit, so not a 429.
            let retryAfter = answer.headers.first(name: "retry-after").flatMap(Int.init) ?? configuration.defaultRetryAfterSeconds
            throw GatewayFailure(.serviceUnavailable, "overloaded_error", "the AI provider is busy (it answered \(answer.status.code)); try again after \(retryAfter) s", retryAfter: retryAfter)
        }
        var headers = RateLimitHeaders.fields(call.reservation?.standings ?? [], now: call.at)
        headers[HTTPField.Name("x-request-id")!] = call.requestID
        headers[.contentType] = answer.headers.first(name: "content-type") ?? "application/json"
        if body.streams, answer.status == .ok {
            let overhead = (sent - call.started) + (ContinuousClock.now - headersArrived)
            headers[.cacheControl] = "no-cache"
            headers[HTTPField.Name("x-wharf-overhead-ms")!] = Self.milliseconds(overhead)
            return Response(status: .ok, headers: headers, body: streamBody(answer, call: call, overhead: overhead))
        }
        let answerBody: ByteBuffer
        do {
            answerBody = try await answer.body.collect(upTo: 64 << 20)
        } catch {
            throw GatewayFailure(.serviceUnavailable, "overloaded_error", "the AI provider's answer was cut off; try again", retryAfter: configuration.defaultRetryAfterSeconds)
        }
        let collected = ContinuousClock.now
        let usage = TokenUsage.reported(in: Data(buffer: answerBody), api: call.api)
        let overhead = (sent - call.started) + (ContinuousClock.now - collected)
        headers[HTTPField.Name("x-wharf-overhead-ms")!] = Self.milliseconds(overhead)
        ledger.settle(call.settlement(status: Int(answer.status.code), usage: usage ?? TokenUsage(), counted: usage == nil && answer.status == .ok, overhead: overhead))
        return Response(status: HTTPResponse.Status(code: Int(answer.status.code)), headers: headers, body: ResponseBody(byteBuffer: answerBody))
    }

    /// The stream, relayed chunk by chunk as it arrives; its usage is read on the way and settled when it
    /// ends, also when the client goes away first.
    private func streamBody(_ answer: HTTPClientResponse, call: GatewayCall, overhead: Duration) -> ResponseBody {
        let ledger = ledger
        let logger = logger
        return ResponseBody { writer in
            var scanner = StreamUsageScanner(api: call.api)
            do {
                for try await chunk in answer.body {
                    scanner.consume(chunk.readableBytesView)
                    try await writer.write(chunk)
                }
                try await writer.finish(nil)
            } catch {
                logger.info("stream ended early", metadata: ["request": "\(call.requestID)", "instance": "\(call.instance)"])
            }
            let (usage, counted) = scanner.usage(promptEstimate: call.promptEstimate)
            ledger.settle(call.settlement(status: 200, usage: usage, counted: counted, overhead: overhead))
        }
    }

    /// A refusal by a limit: 429 with when to retry, or 400 for a request no wait would admit.
    static func refused(_ refusal: GatewayQuotaExceeded, feature: GatewayFeature, instance: String, now: Date) -> GatewayFailure {
        let standing = refusal.standing
        let limit = "the \(feature.rawValue) limit of \(standing.limit) \(standing.name)"
        if refusal.neverFits {
            let why = standing.measure == .tokens
                ? "this request may use up to \(standing.used) tokens (its prompt and max_tokens), more than \(limit); lower max_tokens or shorten the prompt"
                : "\(limit) for the instance \(instance) admits no request"
            return .invalid(why)
        }
        var failure = GatewayFailure(
            .tooManyRequests, "rate_limit_error", "the instance \(instance) has reached \(limit); try again in \(standing.secondsToReset(from: now)) s",
            retryAfter: standing.secondsToReset(from: now)
        )
        failure.headers = RateLimitHeaders.fields([standing], refusedBy: standing, now: now)
        return failure
    }

    /// The client's `x-request-id`, or a fresh one: every answer and usage event carries it.
    static func requestID(of request: Request) -> String {
        request.headers[HTTPField.Name("x-request-id")!] ?? "req_\(String(UInt64.random(in: 0...UInt64.max), radix: 16))"
    }

    static func milliseconds(_ duration: Duration) -> String {
        String(format: "%.3f", Double(GatewayCall.microseconds(duration)) / 1000)
    }
}

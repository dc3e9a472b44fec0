import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import WharfCore
import WharfStore

/// Everything before the provider is called: who is calling, what, whether it is allowed, and the
/// reservation. Each step that may need the database has a synchronous variant that answers from what
/// this replica already holds (nil when it cannot), so most calls are decided on the connection's event
/// loop without a task; the asynchronous variant does the rest.
struct GatewayAdmission: Sendable {
    let configuration: GatewayConfiguration
    let actors: ActorCache
    let ledger: GatewayLedger
    let upstreams: UpstreamDirectory
    let logger: Logger

    /// The caller and the provider from what is cached; nil when either must be read.
    func identityNow(_ incoming: IncomingCall) throws(GatewayFailure) -> CallIdentity? {
        let hash = try Self.tokenHash(incoming.headers)
        guard let found = actors.cached(tokenHash: hash), let upstreams = upstreams.cached() else { return nil }
        return try identity(found, upstream: upstreams[incoming.api], api: incoming.api)
    }

    func identity(_ incoming: IncomingCall) async throws(GatewayFailure) -> CallIdentity {
        let found = try await actor(presentedIn: incoming.headers)
        return try identity(found, upstream: await upstreams.upstream(incoming.api), api: incoming.api)
    }

    /// The instance behind the token in `headers`, read through the cache; nil for an unknown token.
    func actor(presentedIn headers: HTTPHeaders) async throws(GatewayFailure) -> GatewayActor? {
        let hash = try Self.tokenHash(headers)
        do {
            return try await actors.actor(tokenHash: hash)
        } catch {
            logger.error("actor lookup failed", metadata: ["error": "\(error)"])
            throw GatewayFailure(.serviceUnavailable, "api_error", "the gateway cannot check tokens right now; try again shortly", retryAfter: 1)
        }
    }

    private func identity(_ found: GatewayActor?, upstream: GatewayConfiguration.Upstream?, api: UpstreamAPI) throws(GatewayFailure) -> CallIdentity {
        let actor = try Self.permitted(found)
        guard let upstream else { throw .notFound("this gateway has no \(api.rawValue) upstream configured") }
        return CallIdentity(actor: actor, upstream: upstream)
    }

    /// The checks of the call itself: feature, content type, body, model and prompt size. A failure once
    /// the body is read carries the call, so the refusal is recorded.
    func check(_ incoming: IncomingCall, _ identity: CallIdentity) throws(GatewayFailure) -> CheckedCall {
        let feature = try Self.feature(of: incoming.headers, pathFeature: incoming.pathFeature)
        guard incoming.headers.first(name: "content-type")?.lowercased().hasPrefix("application/json") == true else {
            throw GatewayFailure(.unsupportedMediaType, "invalid_request_error", "Content-Type must be application/json")
        }
        let body = try GatewayRequestBody.parse(Data(buffer: incoming.body, byteTransferStrategy: .noCopy), api: incoming.api)
        let promptEstimate = GatewayRequestBody.promptTokens(bodyBytes: incoming.body.readableBytes)
        let flagged = configuration.promptTokenLimit.map { promptEstimate > $0 } ?? false
        let actor = identity.actor
        let call = GatewayCall(
            instance: actor.slug, feature: feature, model: body.model, api: incoming.api, requestID: incoming.requestID, streamed: body.streams,
            promptEstimate: promptEstimate, promptFlagged: flagged, at: ledger.clock(), started: incoming.started
        )
        let limits = actor.limits[feature]
        guard limits.allows(model: body.model) else {
            throw GatewayFailure.permission(
                "the model \(body.model) is not allowed for \(feature.rawValue) on the instance \(actor.slug); allowed: \(limits.models!.joined(separator: ", "))"
            ).recording(call)
        }
        if flagged {
            logger.warning("prompt over the size limit", metadata: [
                "request": "\(incoming.requestID)", "instance": "\(actor.slug)", "estimated_tokens": "\(promptEstimate)", "blocked": "\(configuration.blockLargePrompts)",
            ])
            if configuration.blockLargePrompts {
                throw GatewayFailure.invalid(
                    "the prompt is about \(promptEstimate) tokens, more than this gateway accepts (\(configuration.promptTokenLimit!)); shorten it"
                ).recording(call)
            }
        }
        return CheckedCall(call: call, body: body, limits: limits, upstream: identity.upstream)
    }

    /// The call with its reservation from this replica's blocks; nil when they must be refilled first.
    func reserveNow(_ checked: CheckedCall) throws(GatewayFailure) -> GatewayCall? {
        do {
            guard let reservation = try ledger.reserveNow(slug: checked.call.instance, feature: checked.call.feature, limits: checked.limits, estimatedTokens: estimate(checked))
            else { return nil }
            return reserved(checked.call, reservation)
        } catch {
            throw failure(error, checked.call)
        }
    }

    func reserve(_ checked: CheckedCall) async throws(GatewayFailure) -> GatewayCall {
        do {
            let reservation = try await ledger.reserve(slug: checked.call.instance, feature: checked.call.feature, limits: checked.limits, estimatedTokens: estimate(checked))
            return reserved(checked.call, reservation)
        } catch {
            throw failure(error, checked.call)
        }
    }

    private func estimate(_ checked: CheckedCall) -> Int { checked.body.estimatedTokens(promptTokens: checked.call.promptEstimate) }

    private func reserved(_ call: GatewayCall, _ reservation: GatewayReservation) -> GatewayCall {
        var call = call
        call.reservation = reservation
        return call
    }

    private func failure(_ error: any Error, _ call: GatewayCall) -> GatewayFailure {
        if let refusal = error as? GatewayQuotaExceeded {
            return Self.refused(refusal, feature: call.feature, instance: call.instance, now: call.at).recording(call)
        }
        logger.error("reservation failed", metadata: ["request": "\(call.requestID)", "error": "\(error)"])
        return GatewayFailure(.serviceUnavailable, "api_error", "the gateway cannot check limits right now; try again shortly", retryAfter: 1).recording(call)
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
}

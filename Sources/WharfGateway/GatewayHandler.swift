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

/// One proxied call: authenticate the instance, check the body, relay it to the provider with the
/// vendor's key, and relay the answer back — a stream chunk by chunk, never buffered. Every answer carries
/// `x-wharf-overhead-ms`, the time the gateway added on top of the provider's. (Usage is not settled yet:
/// `StreamUsageScanner` is what limits and usage events will read streams with.)
struct GatewayHandler: Sendable {
    let configuration: GatewayConfiguration
    let actors: ActorCache
    let http: HTTPClient
    let logger: Logger

    func handle(_ request: Request, api: UpstreamAPI) async -> Response {
        let started = ContinuousClock.now
        let requestID = request.headers[HTTPField.Name("x-request-id")!] ?? "req_\(TokenSecret.generate().prefix(16))"
        do {
            return try await relay(request, api: api, requestID: requestID, started: started)
        } catch {
            var failure = error
            failure.headers[HTTPField.Name("x-wharf-overhead-ms")!] = Self.milliseconds(ContinuousClock.now - started)
            return failure.response(api: api, requestID: requestID)
        }
    }

    private func relay(_ request: Request, api: UpstreamAPI, requestID: String, started: ContinuousClock.Instant) async throws(GatewayFailure) -> Response {
        let actor = try await authenticate(request)
        let feature = try Self.feature(of: request)
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
        guard let upstream = configuration.upstreams[api] else {
            throw GatewayFailure(.notFound, "not_found_error", "this gateway has no \(api.rawValue) upstream configured")
        }
        var outgoing = HTTPClientRequest(url: upstream.baseURL + api.path)
        outgoing.method = .POST
        outgoing.headers.add(name: "content-type", value: "application/json")
        outgoing.headers.add(name: "x-request-id", value: requestID)
        switch api {
        case .anthropic:
            outgoing.headers.add(name: "x-api-key", value: upstream.apiKey)
            outgoing.headers.add(name: "anthropic-version", value: request.headers[HTTPField.Name("anthropic-version")!] ?? "2023-06-01")
        case .openAI:
            outgoing.headers.add(name: "authorization", value: "Bearer \(upstream.apiKey)")
        }
        outgoing.body = .bytes(ByteBuffer(data: body.streams && api == .openAI ? Self.askingForStreamUsage(data) : data))

        let sent = ContinuousClock.now
        let answer: HTTPClientResponse
        do {
            answer = try await http.execute(outgoing, timeout: .seconds(configuration.upstreamTimeout.components.seconds))
        } catch {
            logger.warning("upstream unreachable", metadata: ["api": "\(api.rawValue)", "request": "\(requestID)", "error": "\(error)"])
            throw GatewayFailure(.serviceUnavailable, "overloaded_error", "the AI provider could not be reached; try again shortly", retryAfter: configuration.defaultRetryAfterSeconds)
        }
        let headersArrived = ContinuousClock.now
        if answer.status == .tooManyRequests || answer.status.code >= 500 {
            // The provider's quota is shared by every customer: not this instance's limit, so not a 429.
            let retryAfter = answer.headers.first(name: "retry-after").flatMap(Int.init) ?? configuration.defaultRetryAfterSeconds
            throw GatewayFailure(.serviceUnavailable, "overloaded_error", "the AI provider is busy (it answered \(answer.status.code)); try again after \(retryAfter) s", retryAfter: retryAfter)
        }
        var headers: HTTPFields = [HTTPField.Name("x-request-id")!: requestID]
        headers[.contentType] = answer.headers.first(name: "content-type") ?? "application/json"
        let context = ["instance": actor.slug, "feature": feature.rawValue, "model": body.model]
        if body.streams, answer.status == .ok {
            headers[.cacheControl] = "no-cache"
            headers[HTTPField.Name("x-wharf-overhead-ms")!] = Self.milliseconds((sent - started) + (ContinuousClock.now - headersArrived))
            let logger = logger
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                do {
                    for try await chunk in answer.body {
                        try await writer.write(chunk)
                    }
                    try await writer.finish(nil)
                } catch {
                    logger.info("stream ended early", metadata: ["request": "\(requestID)", "instance": "\(context["instance"]!)"])
                }
            })
        }
        let answerBody: ByteBuffer
        do {
            answerBody = try await answer.body.collect(upTo: 64 << 20)
        } catch {
            throw GatewayFailure(.serviceUnavailable, "overloaded_error", "the AI provider's answer was cut off; try again", retryAfter: configuration.defaultRetryAfterSeconds)
        }
        let upstreamTime = ContinuousClock.now - sent
        headers[HTTPField.Name("x-wharf-overhead-ms")!] = Self.milliseconds(ContinuousClock.now - started - upstreamTime)
        return Response(status: HTTPResponse.Status(code: Int(answer.status.code)), headers: headers, body: ResponseBody(byteBuffer: answerBody))
    }

    /// The instance behind the bearer token, if it may use the gateway now.
    private func authenticate(_ request: Request) async throws(GatewayFailure) -> GatewayActor {
        let presented = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
            ?? request.headers[HTTPField.Name("x-api-key")!]
        guard let token = presented else {
            throw .authentication("no token: send Authorization: Bearer \(GatewayToken.prefix)<hex SHA-256 of the instance's licence key>")
        }
        guard GatewayToken.isWellFormed(token) else {
            throw .authentication("the token is not a Wharf AI gateway token (\(GatewayToken.prefix) and 64 hex digits)")
        }
        let found: GatewayActor?
        do {
            found = try await actors.actor(tokenHash: GatewayToken.storedHash(token))
        } catch {
            logger.error("actor lookup failed", metadata: ["error": "\(error)"])
            throw GatewayFailure(.serviceUnavailable, "api_error", "the gateway cannot check tokens right now; try again shortly", retryAfter: 1)
        }
        guard let actor = found else { throw .authentication("unknown token: no instance has this licence key") }
        switch actor.state {
        case .suspended: throw .permission("the instance \(actor.slug) is suspended")
        case .deleted, .tearingDown: throw .permission("the instance \(actor.slug) is deleted")
        case .failed: throw .permission("the instance \(actor.slug) has failed provisioning")
        case .requested, .provisioning, .active: break
        }
        guard actor.aiGatewayAccess else {
            throw .permission("AI gateway access is not enabled for the instance \(actor.slug); ask for it with an enable_ai_gateway request")
        }
        return actor
    }

    /// The feature from `X-Wharf-Feature`; chat when absent.
    static func feature(of request: Request) throws(GatewayFailure) -> GatewayFeature {
        guard let name = request.headers[HTTPField.Name("x-wharf-feature")!] else { return .chat }
        guard let feature = GatewayFeature(rawValue: name) else {
            throw .invalid("X-Wharf-Feature must be one of \(GatewayFeature.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(name)')")
        }
        return feature
    }

    /// An OpenAI streaming body with `stream_options.include_usage` set, so the stream reports its usage.
    static func askingForStreamUsage(_ data: Data) -> Data {
        guard var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return data }
        var options = object["stream_options"] as? [String: Any] ?? [:]
        options["include_usage"] = true
        object["stream_options"] = options
        return (try? JSONSerialization.data(withJSONObject: object)) ?? data
    }

    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let value = max(0, Double(seconds) * 1000 + Double(attoseconds) / 1e15)
        return String(format: "%.3f", value)
    }
}

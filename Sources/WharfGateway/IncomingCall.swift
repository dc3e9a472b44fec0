import NIOCore
import NIOHTTP1
import WharfCore
import WharfRuntime
import WharfStore

/// A call as read off the connection, before the gateway has decided anything about it.
struct IncomingCall: Sendable {
    let api: UpstreamAPI
    /// The feature named by the path (`/code_completion/v1/messages`), if any.
    let pathFeature: String?
    let headers: HTTPHeaders
    let body: ByteBuffer
    let requestID: String
    let started: ContinuousClock.Instant

    /// The client's `x-request-id` if it is a sensible one, or a fresh one: every answer and usage event carries it.
    static func requestID(_ headers: HTTPHeaders) -> String {
        headers.first(name: "x-request-id").flatMap { RequestID.isSensible($0) ? $0 : nil } ?? "req_" + FastIdentifier.hex(words: 1)
    }
}

/// Who is calling and the provider the call goes to, once both are known.
struct CallIdentity: Sendable {
    let actor: GatewayActor
    let upstream: GatewayConfiguration.Upstream
}

/// A call that passed every check but the limits.
struct CheckedCall: Sendable {
    var call: GatewayCall
    let body: GatewayRequestBody
    let limits: FeatureLimits
    let upstream: GatewayConfiguration.Upstream
}

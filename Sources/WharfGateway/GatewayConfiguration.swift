import Foundation

/// How the gateway reaches the providers and what it accepts from instances.
public struct GatewayConfiguration: Sendable {
    /// One provider: where its API is and the vendor's key for it.
    public struct Upstream: Sendable, Equatable {
        public var baseURL: String
        public var apiKey: String

        public init(baseURL: String, apiKey: String) {
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.apiKey = apiKey
        }
    }

    public var upstreams: [UpstreamAPI: Upstream]
    /// The largest request body accepted (a prompt with its history).
    public var maxBodyBytes = 1 << 20
    /// How long an upstream may take to answer, stream included.
    public var upstreamTimeout: Duration = .seconds(600)
    /// How long an instance's access is remembered: a change made through Wharf takes effect within it.
    public var actorCacheTTL: Duration = .seconds(5)
    /// The `retry-after` of a 503 when the upstream gave none.
    public var defaultRetryAfterSeconds = 5

    public init(upstreams: [UpstreamAPI: Upstream]) {
        self.upstreams = upstreams
    }
}

import Foundation
import WharfCore

/// How the gateway reaches the providers and what it accepts from instances.
public struct GatewayConfiguration: Sendable {
    /// One provider: where its API is and the vendor's key for it.
    public struct Upstream: Sendable, Equatable {
        public let baseURL: String
        public let apiKey: String
        /// Nil when `baseURL` is not an http(s) URL: calls to this API then answer that it cannot be reached.
        let endpoint: UpstreamEndpoint?

        public init(baseURL: String, apiKey: String) {
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.apiKey = apiKey
            endpoint = UpstreamEndpoint(baseURL: self.baseURL)
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
    /// How long the slots and blocks of a replica that stopped renewing them (one that died) stay held
    /// (`WHARF_AI_LEASE_SECONDS`); replicas renew every third of it.
    public var leaseDuration: TimeInterval = 60
    /// Prompts estimated above this many tokens are flagged in their usage event and the log
    /// (`WHARF_AI_PROMPT_TOKEN_LIMIT`); nil flags none.
    public var promptTokenLimit: Int?
    /// Refuse flagged prompts instead of passing them on (`WHARF_AI_BLOCK_LARGE_PROMPTS=true`).
    public var blockLargePrompts = false
    /// A PEM file of certificate authorities to trust for https providers besides the system's
    /// (`WHARF_AI_CA_FILE`): an egress proxy's own, say.
    public var providerCAFile: String?

    public init(upstreams: [UpstreamAPI: Upstream]) {
        self.upstreams = upstreams
    }
}

extension GatewayConfiguration {
    /// Upstreams from `WHARF_AI_ANTHROPIC_URL` / `_KEY` and `WHARF_AI_OPENAI_URL` / `_KEY`; a provider
    /// without a key is left out, and calls to its API answer that it is not configured.
    public static func fromEnvironment(_ environment: [String: String]) throws(WharfError) -> GatewayConfiguration {
        var upstreams: [UpstreamAPI: Upstream] = [:]
        for api in UpstreamAPI.allCases {
            let name = api.rawValue.uppercased()
            let defaultURL = GatewayProvider.defaultBaseURLs[api.rawValue]!
            guard let key = environment["WHARF_AI_\(name)_KEY"], !key.isEmpty else { continue }
            let url = environment["WHARF_AI_\(name)_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultURL
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme), parsed.host != nil else {
                throw WharfError(.configuration, "WHARF_AI_\(name)_URL must be an http(s) URL such as \(defaultURL) (got '\(url)')")
            }
            upstreams[api] = Upstream(baseURL: url, apiKey: key)
        }
        var configuration = GatewayConfiguration(upstreams: upstreams)
        if let text = environment["WHARF_AI_PROMPT_TOKEN_LIMIT"], !text.isEmpty {
            guard let limit = Int(text), limit > 0 else {
                throw WharfError(.configuration, "WHARF_AI_PROMPT_TOKEN_LIMIT must be a whole number of tokens above 0 (got '\(text)')")
            }
            configuration.promptTokenLimit = limit
        }
        if let text = environment["WHARF_AI_LEASE_SECONDS"], !text.isEmpty {
            guard let seconds = Int(text), seconds >= 3 else {
                throw WharfError(.configuration, "WHARF_AI_LEASE_SECONDS must be a whole number of seconds, 3 or more (got '\(text)')")
            }
            configuration.leaseDuration = TimeInterval(seconds)
        }
        if let path = environment["WHARF_AI_CA_FILE"], !path.isEmpty {
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw WharfError(.configuration, "WHARF_AI_CA_FILE must name a readable PEM file of certificate authorities (got '\(path)')")
            }
            configuration.providerCAFile = path
        }
        switch environment["WHARF_AI_BLOCK_LARGE_PROMPTS"]?.lowercased() {
        case nil, "", "false", "0", "no": break
        case "true", "1", "yes":
            guard configuration.promptTokenLimit != nil else {
                throw WharfError(.configuration, "WHARF_AI_BLOCK_LARGE_PROMPTS needs WHARF_AI_PROMPT_TOKEN_LIMIT, the size above which prompts are refused")
            }
            configuration.blockLargePrompts = true
        case let other?:
            throw WharfError(.configuration, "WHARF_AI_BLOCK_LARGE_PROMPTS must be true or false (got '\(other)')")
        }
        return configuration
    }
}

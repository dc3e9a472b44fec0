import Foundation

/// A provider API the gateway calls with the vendor's key, as an admin set it through Wharf. The key is
/// sealed at rest with the master key and never shown again: only its last four characters, to tell
/// keys apart when rotating them.
public struct GatewayProvider: Codable, Sendable, Equatable {
    /// `anthropic` or `openai`.
    public var api: String
    public var baseURL: String
    public var keyHint: String
    public var updatedAt: Date
    public var updatedBy: String

    public init(api: String, baseURL: String, keyHint: String, updatedAt: Date, updatedBy: String) {
        self.api = api
        self.baseURL = baseURL
        self.keyHint = keyHint
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }

    /// The APIs the gateway speaks, with where each provider serves it.
    public static let defaultBaseURLs: [String: String] = ["anthropic": "https://api.anthropic.com", "openai": "https://api.openai.com"]

    /// `…` and the key's last four characters.
    public static func hint(of key: String) -> String { "…" + key.suffix(4) }
}

/// What `PUT /v1/gateway/providers/{api}` takes: the key, and where to call (the provider's own API when
/// left out).
public struct GatewayProviderUpdate: Codable, Sendable {
    public var baseURL: String?
    public var apiKey: String

    public init(baseURL: String? = nil, apiKey: String) {
        self.baseURL = baseURL
        self.apiKey = apiKey
    }

    /// The API name, base URL and key, checked: a known API, an http(s) URL, a key of printable characters.
    public func validated(api: String) throws(WharfError) -> (api: String, baseURL: String, apiKey: String) {
        var v = Validator()
        guard let defaultURL = GatewayProvider.defaultBaseURLs[api] else {
            throw WharfError.notFound("gateway provider", api)
        }
        let url = baseURL ?? defaultURL
        if let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme), parsed.host?.isEmpty == false, parsed.query == nil {
        } else {
            v.add("baseURL", "invalid_url", "must be an http(s) URL such as \(defaultURL) (got '\(url)')")
        }
        if apiKey.isEmpty || apiKey.count > 512 || apiKey.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value > 0x7E }) {
            v.add("apiKey", "invalid_key", "must be the provider's API key: 1 to 512 printable characters without spaces")
        }
        try v.finish()
        return (api, url.hasSuffix("/") ? String(url.dropLast()) : url, apiKey)
    }
}

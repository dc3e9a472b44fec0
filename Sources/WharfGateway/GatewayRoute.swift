import NIOHTTP1

/// What a request asks of the gateway, from its method and path: a provider call (under a feature
/// when the path names one, as in `/code_completion/v1/messages`), the instance's limits, or nothing
/// the gateway serves.
enum GatewayRoute: Equatable {
    case call(UpstreamAPI, feature: String?)
    case limits
    case wrongMethod(allowed: String)
    case unknown

    init(method: HTTPMethod, uri: String) {
        let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? uri
        if path == "/v1/limits" {
            self = method == .GET ? .limits : .wrongMethod(allowed: "GET")
            return
        }
        for api in UpstreamAPI.allCases where path.hasSuffix(api.path) {
            let prefix = path.dropLast(api.path.count)
            let feature: String?
            if prefix.isEmpty {
                feature = nil
            } else if prefix.first == "/", prefix.count > 1, !prefix.dropFirst().contains("/") {
                feature = String(prefix.dropFirst())
            } else {
                continue
            }
            self = method == .POST ? .call(api, feature: feature) : .wrongMethod(allowed: "POST")
            return
        }
        self = .unknown
    }

    /// The API whose error format an answer to this route uses.
    var api: UpstreamAPI {
        if case .call(let api, _) = self { return api }
        return .openAI
    }
}

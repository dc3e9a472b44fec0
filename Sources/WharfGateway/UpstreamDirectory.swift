import Foundation
import Logging
import Synchronization
import WharfStore

/// The providers the gateway calls: those an admin set through Wharf (keys sealed in the database) over
/// those from the environment. Read again every `ttl`, so a rotated key takes effect on every replica
/// within seconds and without a restart.
final class UpstreamDirectory: Sendable {
    private let store: Store
    private let fallback: [UpstreamAPI: GatewayConfiguration.Upstream]
    private let ttl: Duration
    private let logger: Logger
    private let cached = Mutex<(upstreams: [UpstreamAPI: GatewayConfiguration.Upstream], until: ContinuousClock.Instant)?>(nil)

    init(store: Store, fallback: [UpstreamAPI: GatewayConfiguration.Upstream], ttl: Duration, logger: Logger) {
        self.store = store
        self.fallback = fallback
        self.ttl = ttl
        self.logger = logger
    }

    func upstream(_ api: UpstreamAPI) async -> GatewayConfiguration.Upstream? {
        let cached = cached.withLock { $0 }
        if let cached, ContinuousClock.now < cached.until { return cached.upstreams[api] }
        var upstreams = fallback
        do {
            for (name, entry) in try await store.gatewayProviderKeys() {
                guard let api = UpstreamAPI(rawValue: name) else { continue }
                upstreams[api] = GatewayConfiguration.Upstream(baseURL: entry.baseURL, apiKey: entry.apiKey)
            }
        } catch {
            // Keep serving with what was known; the next call tries again.
            logger.error("provider keys not read", metadata: ["error": "\(error)"])
            return (cached?.upstreams ?? fallback)[api]
        }
        self.cached.withLock { $0 = (upstreams, ContinuousClock.now + ttl) }
        return upstreams[api]
    }
}

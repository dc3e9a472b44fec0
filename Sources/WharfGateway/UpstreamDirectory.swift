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
    private let memo = Mutex<(upstreams: [UpstreamAPI: GatewayConfiguration.Upstream], until: ContinuousClock.Instant)?>(nil)

    init(store: Store, fallback: [UpstreamAPI: GatewayConfiguration.Upstream], ttl: Duration, logger: Logger) {
        self.store = store
        self.fallback = fallback
        self.ttl = ttl
        self.logger = logger
    }

    /// Every provider, if read within the TTL; nil when they must be read again.
    func cached() -> [UpstreamAPI: GatewayConfiguration.Upstream]? {
        guard let memo = memo.withLock({ $0 }), ContinuousClock.now < memo.until else { return nil }
        return memo.upstreams
    }

    func upstream(_ api: UpstreamAPI) async -> GatewayConfiguration.Upstream? {
        if let upstreams = cached() { return upstreams[api] }
        let cached = memo.withLock { $0 }
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
        memo.withLock { $0 = (upstreams, ContinuousClock.now + ttl) }
        return upstreams[api]
    }
}

import Foundation
import Logging
import ServiceLifecycle
import WharfCore
import WharfProviders
import WharfStore

/// Probes every active instance on an interval and keeps the results per minute in the store, the
/// record the SLO is computed from (SPEC §6). Probing goes through the provider, so a probe is the same
/// check `wharf instance check` makes.
public struct HealthProber: Service {
    let store: Store
    let provider: any Provider
    /// Told what every probe saw, so each replica's edge stays current for instances another replica reconciles.
    let ingress: (any Ingress)?
    let interval: Duration
    let clock: @Sendable () -> Date
    let ready: @Sendable () async -> Void
    let logger: Logger

    public init(
        store: Store, provider: any Provider, ingress: (any Ingress)? = nil, interval: Duration = .seconds(10), clock: @escaping @Sendable () -> Date = Date.init,
        ready: @escaping @Sendable () async -> Void = {}, logger: Logger
    ) {
        self.store = store
        self.provider = provider
        self.ingress = ingress
        self.interval = interval
        self.clock = clock
        self.ready = ready
        self.logger = logger
    }

    public func run() async throws {
        await ready()
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await probeAll()
                } catch where !Task.isCancelled {
                    logger.warning("health probes failed; retrying at the next interval", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: interval)
            }
        }
    }

    /// Probes every active instance once, sixteen at a time, and records the results; returns them.
    @discardableResult
    public func probeAll() async throws -> [HealthProbe] {
        let active = try await store.allInstances(state: .active)
        var probes: [HealthProbe] = []
        for batch in stride(from: 0, to: active.count, by: 16).map({ Array(active[$0..<min($0 + 16, active.count)]) }) {
            probes += await withTaskGroup(of: HealthProbe.self) { group in
                for instance in batch { group.addTask { await probe(instance) } }
                return await group.reduce(into: []) { $0.append($1) }
            }
        }
        try await store.recordHealthProbes(probes)
        return probes
    }

    func probe(_ instance: Instance) async -> HealthProbe {
        let slug = instance.slug
        let started = ContinuousClock.now
        let seen = await provider.observe(slug)
        let elapsed = ContinuousClock.now - started
        _ = await ingress?.publish(instance, seen: seen)
        let milliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        return HealthProbe(slug: slug, at: clock(), healthy: seen.observed.process == .running && seen.observed.healthy, latencyMilliseconds: milliseconds)
    }
}

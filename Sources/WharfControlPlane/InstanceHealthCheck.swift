import Foundation
import WharfCore
import WharfProviders
import WharfStore

/// Makes the health report of an instance from the registry, the provider and the stored probes; the
/// API's `GET /v1/instances/{slug}/health` and `wharf instance check` show it.
public enum InstanceHealthCheck {
    /// The status the registry's wish and the observation add up to.
    public static func status(desired: DesiredInstance, seen: ProviderObservation) -> InstanceHealth.Status {
        let running = seen.observed.process == .running
        if seen.crashLoop, desired.shouldRun { return .crashLoop }
        if running { return seen.observed.healthy ? .healthy : .unhealthy }
        return desired.shouldRun ? .down : .stopped
    }

    /// Checks the instance now.
    public static func check(slug: String, store: Store, provider: any Provider, now: Date) async throws -> InstanceHealth {
        let instance = try await store.instance(slug: slug)
        let seen = await provider.observe(slug)
        let status = status(desired: DesiredInstance(instance: instance), seen: seen)
        let events = try await store.recentInstanceActivity(slug: slug, limit: 10).map { entry in
            InstanceHealth.Event(
                at: Date(timeIntervalSince1970: Double(entry.atMillis) / 1000), event: String(entry.action.dropFirst("instance.".count)),
                detail: try? JSONDecoder().decode(JSONValue.self, from: Data(entry.detail.utf8))
            )
        }
        let minutes = try await store.healthMinutes(slug: slug, since: now.addingTimeInterval(-3600))
        let running = seen.observed.process == .running
        return InstanceHealth(
            instance: slug, state: instance.state, status: status,
            process: InstanceHealth.Process(state: seen.observed.process.rawValue, pid: seen.processID, endpoint: seen.endpoint, startedAt: seen.observed.startedAt),
            healthz: running ? (seen.observed.healthy ? "ok" : "failing") : "not_checked",
            version: InstanceHealth.Version(desired: instance.productVersion, reported: seen.observed.productVersion),
            recentCrashes: seen.recentCrashes, crashLoop: seen.crashLoop, lastEvents: events,
            lastLogLines: [.healthy, .stopped].contains(status) ? [] : await provider.logs(slug, after: nil, limit: 20).lines,
            lastHour: InstanceHealth.Uptime(probes: minutes.reduce(0) { $0 + $1.probes }, healthy: minutes.reduce(0) { $0 + $1.healthy }),
            checkedAt: now
        )
    }
}

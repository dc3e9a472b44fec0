import Logging
import ServiceLifecycle
import WharfStore

/// Runs the time-driven rules (trial expiry notices and suspension, SLA near-breach events) on a fixed
/// interval. The rules themselves live in `Store.runTimers`, which takes the store's injected clock, so
/// tests call it directly instead of waiting for this loop.
struct TimerService: Service {
    let store: Store
    let interval: Duration
    /// Finishes once the schema is migrated; the rules must not run against an older schema.
    let migrated: Readiness
    let logger: Logger

    func run() async throws {
        await migrated.wait()
        // Shutdown cancels the loop, which ends its sleep at once; an unfinished pass is rolled back.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let outcome = try await store.runTimers()
                    for slug in outcome.noticed { logger.info("trial expires within three days; notice given", metadata: ["instance": "\(slug)"]) }
                    for slug in outcome.suspended { logger.notice("trial expired; suspended", metadata: ["instance": "\(slug)"]) }
                    for id in outcome.nearBreach { logger.warning("request is near its SLA deadline", metadata: ["request": "\(id)"]) }
                } catch where !Task.isCancelled {
                    logger.error("time-driven rules failed; retrying at the next tick", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}

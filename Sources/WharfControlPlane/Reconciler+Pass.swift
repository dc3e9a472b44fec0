import Foundation
import Logging
import WharfCore
import WharfProviders
import WharfStore

extension Reconciler {
    /// One pass over one instance: observe, act, move the registry on, complete or fail the requests
    /// waiting on it; returns when to look again.
    public func reconcile(_ slug: String, attempts: Int = 0) async throws -> ReconcileNext {
        guard var target = try await store.reconcileTarget(slug: slug) else {
            await ingress?.withdraw(slug)
            return .finished
        }
        if target.instance.state == .requested {
            target.instance = try await store.applyEvent(slug: slug, InstanceEventRequest(event: .startProvisioning), actor: .system)
        }
        var seen = try await observe(slug)
        let desired = DesiredInstance(instance: target.instance, licenceKey: target.licenceKey)
        var failure: ProviderError?
        for action in InstancePlanner.plan(desired: [desired], observed: [slug: seen], now: clock()) {
            do throws(ProviderError) {
                try await provider.apply(action, desired: desired)
            } catch {
                failure = error
                break
            }
            try await store.recordInstanceActivity(slug: slug, action: Self.activity(action), detail: Self.detail(action))
            logger.info("\(action)", metadata: ["instance": "\(slug)"])
            seen = try await observe(slug)
        }
        if let failure, !failure.retryable || seen.crashLoop {
            logger.warning("\(failure)", metadata: ["instance": "\(slug)"])
        }
        var instance = target.instance
        if let addresses = seen.egressAddresses, addresses != instance.egressStaticIPs {
            instance = try await store.recordEgressAddresses(slug: slug, addresses)
        }
        let logTail = seen.crashLoop ? await provider.logs(slug, after: nil, limit: 5).lines : []
        if let event = RegistryProgress.event(for: instance, seen: seen, failure: failure, logTail: logTail) {
            instance = try await store.applyEvent(slug: slug, event, actor: .system)
        }
        var observed = seen.observed
        if let ingress {
            let routing = await ingress.publish(instance, seen: seen)
            observed.ingressAllowlist = routing.allowlist
            observed.routedDomains = routing.routedDomains
        }
        try await store.completeSatisfiedRequests(slug: slug, observed: observed)
        if let lacking = provider.capabilities.lacking(for: instance), target.inProgress.contains(where: { $0.kind == .egressConnectivity }) {
            try await store.failInProgressRequests(slug: slug, kinds: [.egressConnectivity], reason: lacking)
        }
        if instance.state == .failed || failure.map({ !$0.retryable }) == true {
            let reason = instance.failureReason ?? failure?.message ?? "the instance failed"
            try await store.failInProgressRequests(slug: slug, reason: reason)
        }
        return next(for: instance, seen: seen, failure: failure, attempts: attempts)
    }

    /// Observes the instance, and records the crashes the provider saw in the instance's history.
    func observe(_ slug: String) async throws -> ProviderObservation {
        let seen = await provider.observe(slug)
        guard let last = seen.unreportedCrashes.last else { return seen }
        let lines = await provider.logs(slug, after: nil, limit: 3).lines
        for crash in seen.unreportedCrashes {
            try await store.recordInstanceActivity(
                slug: slug, action: "process_crashed",
                detail: ["at": .string(WharfJSON.timestamp(crash)), "recentCrashes": .number(Double(seen.recentCrashes)), "lastLogLines": .array(lines.map(JSONValue.string))]
            )
        }
        await provider.acknowledgeCrashes(slug, through: last)
        logger.warning("instance process exited on its own", metadata: ["instance": "\(slug)", "recentCrashes": "\(seen.recentCrashes)"])
        return seen
    }

    /// When to look at the instance again: soon while it converges, at the provider's retry time after a
    /// backoff, after a resync once it matches the registry; never again once it is gone with its data.
    func next(for instance: Instance, seen: ProviderObservation, failure: ProviderError?, attempts: Int) -> ReconcileNext {
        let now = clock()
        let running = seen.observed.process == .running
        if instance.state == .deleted, !running, !seen.hasData { return .finished }
        if let failure {
            let retryable = failure.retryable
            let at = failure.retryAt ?? now.addingTimeInterval(retryable ? ReconcilerConfiguration.retryDelay(afterAttempts: attempts + 1) : configuration.resync)
            return .due(at, attempts: attempts + 1, error: failure.message)
        }
        let desired = DesiredInstance(instance: instance)
        let converged = desired.shouldRun ? running && seen.observed.healthy : !running
        if converged {
            var at = now.addingTimeInterval(configuration.resync)
            if instance.state == .deleted, let until = instance.dataRetainedUntil, until > at { at = until }
            return .due(at, attempts: 0, error: nil)
        }
        let error = seen.crashLoop ? "crash loop: \(seen.recentCrashes) crashes" : nil
        return .due(now.addingTimeInterval(ReconcilerConfiguration.retryDelay(afterAttempts: attempts)), attempts: attempts + 1, error: error)
    }

    /// The history entry for an action: `instance.process_started` and so on.
    static func activity(_ action: ProviderAction) -> String {
        switch action {
        case .start: "process_started"
        case .stop: "process_stopped"
        case .restart: "process_restarted"
        case .destroyData: "data_destroyed"
        }
    }

    static func detail(_ action: ProviderAction) -> [String: JSONValue] {
        if case .restart(_, let reason) = action { return ["reason": .string(reason)] }
        return [:]
    }
}

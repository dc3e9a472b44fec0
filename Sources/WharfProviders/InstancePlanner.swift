import Foundation
import WharfCore

/// Desired against observed, to an ordered list of actions: the pure heart of reconciliation, the same
/// for every provider and tested without one.
public enum InstancePlanner {
    /// Actions that move every instance towards the registry. Stops come first (they free resources),
    /// then restarts, then starts, then data destruction; within each, slug order.
    public static func plan(desired: [DesiredInstance], observed: [String: ProviderObservation], now: Date) -> [ProviderAction] {
        var stops: [ProviderAction] = []
        var restarts: [ProviderAction] = []
        var starts: [ProviderAction] = []
        var destroys: [ProviderAction] = []
        for want in desired {
            let seen = observed[want.slug] ?? .absent
            let running = seen.observed.process == .running
            if want.shouldRun {
                if !running {
                    starts.append(.start(slug: want.slug))
                } else if let launched = seen.launch, launched != want.launch {
                    restarts.append(.restart(slug: want.slug, reason: difference(launched, want.launch)))
                }
            } else if running {
                stops.append(.stop(slug: want.slug))
            } else if [.deleted, .tearingDown].contains(want.instance.state), seen.hasData, let until = want.instance.dataRetainedUntil, until <= now {
                destroys.append(.destroyData(slug: want.slug))
            }
        }
        return [stops, restarts, starts, destroys].flatMap { $0.sorted { $0.slug < $1.slug } }
    }

    /// What changed between two launches, for the restart's reason.
    static func difference(_ old: LaunchSpec, _ new: LaunchSpec) -> String {
        var changes: [String] = []
        if old.productVersion != new.productVersion { changes.append("version \(old.productVersion) → \(new.productVersion)") }
        if old.telemetry != new.telemetry { changes.append("telemetry \(new.telemetry ? "on" : "off")") }
        if old.licenceKeyFingerprint != new.licenceKeyFingerprint { changes.append("new licence key") }
        if old.adminEmail != new.adminEmail { changes.append("new admin e-mail") }
        if old.frontendRestarts != new.frontendRestarts { changes.append("a front-end restart was requested") }
        return changes.joined(separator: ", ")
    }
}

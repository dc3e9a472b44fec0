import Foundation
import WharfCore
import WharfProviders

/// What the world's state means for the registry: the lifecycle event it calls for, if any. Pure, so the
/// reconciler's every decision about an instance's state is tested without a provider.
public enum RegistryProgress {
    /// The event to apply after the provider was observed (and its actions applied, or one failed).
    /// `logTail` is the product's last log lines, quoted when a crash loop fails a new instance.
    public static func event(
        for instance: Instance, seen: ProviderObservation, failure: ProviderError?, logTail: [String]
    ) -> InstanceEventRequest? {
        switch instance.state {
        case .provisioning:
            if let failure, !failure.retryable { return InstanceEventRequest(event: .fail, reason: "provisioning failed: \(failure.message)") }
            if seen.crashLoop { return InstanceEventRequest(event: .fail, reason: crashLoopReason(seen, logTail: logTail)) }
            if seen.observed.process == .running && seen.observed.healthy { return InstanceEventRequest(event: .provisioned) }
            return nil
        case .tearingDown:
            return seen.observed.process == .running ? nil : InstanceEventRequest(event: .tornDown)
        case .requested, .active, .suspended, .deleted, .failed:
            return nil
        }
    }

    /// "crash loop: …" with the crash count and the product's last words, short enough for a failure reason.
    public static func crashLoopReason(_ seen: ProviderObservation, logTail: [String]) -> String {
        let head = "crash loop: the product exited \(seen.recentCrashes) times in a row"
        let tail = logTail.suffix(5).map { String($0.prefix(200)) }.joined(separator: "\n")
        return String((tail.isEmpty ? head : "\(head); its last log lines:\n\(tail)").prefix(1000))
    }
}

import Foundation
import WharfCore

/// Where instances run. The reconciler asks a provider what it sees, plans with `InstancePlanner` (the
/// same plan for every provider), and applies the actions one at a time.
public protocol Provider: Sendable {
    /// The networking this provider can give instances.
    var capabilities: ProviderCapabilities { get }
    /// What the provider sees of each instance it knows, by slug.
    func observe() async -> [String: ProviderObservation]
    /// What the provider sees of one instance.
    func observe(_ slug: String) async -> ProviderObservation
    /// Carries out one action; applying it again has no further effect.
    func apply(_ action: ProviderAction, desired: DesiredInstance) async throws(ProviderError)
    /// Instances whose processes stopped on their own since the last call, found cheaply (no probes), so
    /// the reconciler heals a crash in seconds instead of at the next resync.
    func changedInstances() async -> [String]
    /// Marks the instance's crashes up to `through` as recorded in its history.
    func acknowledgeCrashes(_ slug: String, through: Date) async
    /// What the instance's product logged: the last `limit` lines when `offset` is nil, otherwise the
    /// lines after `offset` (from an earlier answer), so `wharf instance logs --follow` can poll.
    func logs(_ slug: String, after offset: Int?, limit: Int) async -> InstanceLogs
}

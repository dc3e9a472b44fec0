import Foundation

/// Where instances run. The reconciler asks a provider what it sees, plans with `InstancePlanner` (the
/// same plan for every provider), and applies the actions one at a time.
public protocol Provider: Sendable {
    /// What the provider sees of each instance it knows, by slug.
    func observe() async -> [String: ProviderObservation]
    /// Carries out one action; applying it again has no further effect.
    func apply(_ action: ProviderAction, desired: DesiredInstance) async throws(ProviderError)
}

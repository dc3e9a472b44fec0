import WharfCore
import WharfProviders

/// What carries traffic to instances (the local edge; a cloud load balancer and WAF in production). The
/// reconciler tells it each instance's record and where it runs; it answers with what it now enforces,
/// which is what allowlist and custom-domain requests are completed against.
public protocol Ingress: Sendable {
    func publish(_ instance: Instance, seen: ProviderObservation) async -> IngressState
    /// Stops routing to an instance that no longer exists.
    func withdraw(_ slug: String) async
}

/// The routing an ingress enforces for one instance.
public struct IngressState: Sendable, Equatable {
    public var allowlist: [String]
    /// Custom domains that are verified and routed.
    public var routedDomains: [String]

    public init(allowlist: [String], routedDomains: [String]) {
        self.allowlist = allowlist
        self.routedDomains = routedDomains
    }
}

import Synchronization
import WharfControlPlane
import WharfCore
import WharfProviders

/// The edge's routing table, by host name: each instance's default domain and its verified custom
/// domains. The reconciler publishes every instance it looks at; requests read it without touching the
/// database.
public final class RouteTable: Ingress {
    private struct State {
        var byHost: [String: EdgeRoute] = [:]
        var hostsBySlug: [String: [String]] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    func route(host: String) -> EdgeRoute? {
        state.withLock { $0.byHost[host] }
    }

    public func publish(_ instance: Instance, seen: ProviderObservation) async -> IngressState {
        let domains = instance.customDomains.filter { $0.verification == .verified }.map(\.domain)
        let target: EdgeRoute.Target
        switch instance.state {
        case .active where seen.observed.process == .running && seen.observed.healthy:
            if let endpoint = seen.endpoint, let colon = endpoint.lastIndex(of: ":"), let port = Int(endpoint[endpoint.index(after: colon)...]) {
                target = .ready(host: String(endpoint[..<colon]), port: port)
            } else {
                target = .notReady
            }
        case .suspended: target = .suspended
        case .deleted, .failed:
            await withdraw(instance.slug)
            return IngressState(allowlist: instance.ingressAllowlist, routedDomains: [])
        default: target = .notReady
        }
        let route = EdgeRoute(slug: instance.slug, target: target, allowlist: instance.ingressAllowlist.compactMap(IPNetwork.init))
        let hosts = [instance.defaultDomain] + domains
        state.withLock { state in
            for old in state.hostsBySlug[instance.slug] ?? [] { state.byHost[old] = nil }
            for host in hosts { state.byHost[host] = route }
            state.hostsBySlug[instance.slug] = hosts
        }
        return IngressState(allowlist: instance.ingressAllowlist, routedDomains: domains)
    }

    public func withdraw(_ slug: String) async {
        state.withLock { state in
            for host in state.hostsBySlug.removeValue(forKey: slug) ?? [] { state.byHost[host] = nil }
        }
    }
}

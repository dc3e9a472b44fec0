/// What an environment's category decides without the owner writing it (SPEC §8): `external` is reached only
/// through the CDN, audited and paged; `internal` pages and is reachable only by employees (or from inside the
/// project); `test` is relaxed.
struct CategoryPolicy: Equatable, Sendable {
    /// Cloud Run's ingress setting.
    var ingress: String
    /// A global HTTPS load balancer in front of the service, for its domain.
    var loadBalancer: Bool
    /// Cloud Armor admits only the CDN's address ranges.
    var cdnOnly: Bool
    /// Identity-Aware Proxy signs people in at the load balancer.
    var identityAwareProxy: Bool
    /// The DNS record goes through the CDN's proxy.
    var proxiedDNS: Bool
    /// Data-access audit logs for every service in the project.
    var auditLogging: Bool
    /// Alerts also go to the paging channels.
    var paging: Bool

    init(_ environment: ServiceEnvironment, kind: ServiceKind) {
        let served = kind == .service
        let domain = served && environment.domain != nil
        switch environment.category {
        case .external:
            ingress = "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"
            loadBalancer = domain
            cdnOnly = true
            identityAwareProxy = environment.authentication.employeesOnly
            proxiedDNS = true
            auditLogging = true
            paging = true
        case .internal:
            ingress = domain ? "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER" : "INGRESS_TRAFFIC_INTERNAL_ONLY"
            loadBalancer = domain
            cdnOnly = false
            identityAwareProxy = domain
            proxiedDNS = false
            auditLogging = false
            paging = true
        case .test:
            ingress = domain ? "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER" : "INGRESS_TRAFFIC_ALL"
            loadBalancer = domain
            cdnOnly = false
            identityAwareProxy = domain && environment.authentication.employeesOnly
            proxiedDNS = false
            auditLogging = false
            paging = false
        }
    }

    /// Whether anyone on the internet can reach the service without signing in: then the uptime check can too.
    var publiclyReachable: Bool { !identityAwareProxy && ingress != "INGRESS_TRAFFIC_INTERNAL_ONLY" }
}

import Foundation

/// What approving a request does to the instance's desired state in the registry. Pure: the store
/// applies it inside the approval's transaction, and the same function run at submission tells a
/// requester early that a change cannot apply (suspending a suspended instance, say).
public enum RequestEffect {
    /// How long a torn-down instance's data is kept before it may be destroyed (SPEC §1).
    public static let defaultRetention: TimeInterval = 30 * 86_400

    /// The instance after the request's change. Kinds that create an instance are applied by the store
    /// from their draft; kinds whose effect is outside the registry return the instance unchanged.
    /// `licenceKeyFingerprint` is the fingerprint of the new key for `update_licence_key`.
    public static func apply(
        _ kind: RequestKind, _ parameters: RequestParameters, to instance: Instance, now: Date, retention: TimeInterval = defaultRetention
    ) throws(WharfError) -> Instance {
        guard instance.state != .deleted else {
            throw WharfError(.conflict, "the instance '\(instance.slug)' is deleted; no request can change it")
        }
        var next = instance
        switch kind {
        case .createInstance, .createTrial:
            throw WharfError(.conflict, "the instance '\(instance.slug)' exists already; slugs are never reused")
        case .suspend:
            next.state = try InstanceLifecycle.next(from: instance.state, on: .suspend)
        case .resume:
            next.state = try InstanceLifecycle.next(from: instance.state, on: .resume)
        case .tearDown:
            next.state = try InstanceLifecycle.next(from: instance.state, on: .tearDown)
            next.dataRetainedUntil = now.addingTimeInterval(retention)
        case .convertTrial:
            guard instance.type == .trial else { throw WharfError(.conflict, "the instance '\(instance.slug)' is \(instance.type.rawValue), not a trial") }
            next.type = .production
            next.trialExpiresAt = nil
            if let plan = parameters.plan { next.plan = plan }
            var v = Validator()
            InstanceRules.checkWhole(next, into: &v)
            try v.finish()
        case .enableTelemetry, .disableTelemetry:
            next.telemetry = kind == .enableTelemetry
        case .addIngressCIDRs:
            let added = (parameters.cidrs ?? []).filter { !instance.ingressAllowlist.contains($0) }
            guard !added.isEmpty else { throw WharfError(.conflict, "every CIDR given is on the allowlist already") }
            next.ingressAllowlist += added
            var v = Validator()
            next.ingressAllowlist = InstanceRules.normalisedCIDRs(next.ingressAllowlist, at: "parameters.cidrs", into: &v)
            try v.finish()
        case .removeIngressCIDRs:
            let missing = (parameters.cidrs ?? []).enumerated().filter { !instance.ingressAllowlist.contains($0.element) }
            guard missing.isEmpty else {
                throw WharfError.invalid(missing.map { FieldError("parameters.cidrs[\($0.offset)]", "not_on_allowlist", "'\($0.element)' is not on the allowlist") })
            }
            next.ingressAllowlist.removeAll { parameters.cidrs?.contains($0) == true }
        case .enableAIGateway, .disableAIGateway:
            next.aiGatewayAccess = kind == .enableAIGateway
        case .addCustomDomain:
            let domain = parameters.domain ?? ""
            if domain == instance.defaultDomain || instance.customDomains.contains(where: { $0.domain == domain }) {
                throw WharfError.invalid([FieldError("parameters.domain", "duplicate", "'\(domain)' is one of the instance's domains already")])
            }
            guard instance.customDomains.count < InstanceRules.maxCustomDomains else {
                throw WharfError.invalid([FieldError("parameters.domain", "too_many", "the instance has \(InstanceRules.maxCustomDomains) custom domains, the most allowed")])
            }
            next.customDomains.append(CustomDomain(domain: domain))
        case .egressConnectivity:
            if let wanted = parameters.staticEgressIP { next.staticEgress = wanted }
            if let wanted = parameters.privateConnectivity { next.privateConnectivity = wanted }
        case .updateLicenceKey:
            next.licenceKeyFingerprint = parameters.licenceKey.map(LicenceKey.fingerprint)
        case .resetAdminPassword, .restartFrontend, .monthlyUpgrade, .patchUpgrade:
            guard instance.state != .tearingDown else {
                throw WharfError(.conflict, "the instance '\(instance.slug)' is being torn down")
            }
            if kind == .restartFrontend { next.frontendRestarts += 1 }
        }
        if next != instance { next.updatedAt = now }
        return next
    }
}

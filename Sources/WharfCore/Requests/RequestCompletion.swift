/// The one place that decides whether an approved request has been carried out (SPEC §1).
///
/// Requests whose whole effect is the registry change are satisfied as soon as they are applied. The
/// others are satisfied when what a provider observes matches the desired state the request set; until
/// a reconciler reports an observation they stay `in_progress`.
public enum RequestCompletion {
    /// Kinds whose effect is entirely the registry change (the AI gateway reads the registry directly).
    public static func isRegistryOnly(_ kind: RequestKind) -> Bool {
        [.convertTrial, .enableAIGateway, .disableAIGateway, .resetAdminPassword].contains(kind)
    }

    public static func isSatisfied(_ request: LifecycleRequest, desired: Instance, observed: ObservedInstance?) -> Bool {
        if isRegistryOnly(request.kind) { return true }
        guard let observed else { return false }
        let running = observed.process == .running && observed.healthy
        switch request.kind {
        case .createInstance, .createTrial, .resume:
            return running
        case .suspend, .tearDown:
            // A torn-down instance's data is kept for the retention period, so stopped is done.
            return observed.process != .running
        case .enableTelemetry, .disableTelemetry:
            return running && observed.telemetry == desired.telemetry
        case .addIngressCIDRs, .removeIngressCIDRs:
            return Set(observed.ingressAllowlist) == Set(desired.ingressAllowlist)
        case .addCustomDomain:
            return request.parameters.domain.map(observed.routedDomains.contains) ?? false
        case .egressConnectivity:
            return observed.staticEgress == desired.staticEgress && observed.privateConnectivity == desired.privateConnectivity
        case .updateLicenceKey:
            return running && observed.licenceKeyFingerprint == desired.licenceKeyFingerprint
        case .restartFrontend:
            return running && (observed.frontendRestarts ?? -1) >= desired.frontendRestarts
        case .monthlyUpgrade, .patchUpgrade:
            return running && observed.productVersion == request.parameters.version
        case .convertTrial, .enableAIGateway, .disableAIGateway, .resetAdminPassword:
            return true
        }
    }
}

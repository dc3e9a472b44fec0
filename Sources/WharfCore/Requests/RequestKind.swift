/// Every change to an instance that can be asked for (SPEC §1). The wire names are what the API and the
/// CLI take; `policy` says how each kind is approved and measured.
public enum RequestKind: String, WireEnum {
    case createInstance = "create_instance"
    case createTrial = "create_trial"
    case suspend
    case resume
    case tearDown = "tear_down"
    case convertTrial = "convert_trial"
    case enableTelemetry = "enable_telemetry"
    case disableTelemetry = "disable_telemetry"
    case addIngressCIDRs = "add_ingress_cidrs"
    case removeIngressCIDRs = "remove_ingress_cidrs"
    case enableAIGateway = "enable_ai_gateway"
    case disableAIGateway = "disable_ai_gateway"
    case addCustomDomain = "add_custom_domain"
    case egressConnectivity = "egress_connectivity"
    case updateLicenceKey = "update_licence_key"
    case resetAdminPassword = "reset_admin_password"
    case restartFrontend = "restart_frontend"
    case monthlyUpgrade = "monthly_upgrade"
    case patchUpgrade = "patch_upgrade"

    /// Kinds that bring an instance into existence; they name the new slug in their parameters. They
    /// conflict through the slug itself, which is never reused, so they have no conflict group.
    public var createsInstance: Bool { self == .createInstance || self == .createTrial }

    public var policy: RequestPolicy {
        switch self {
        case .createInstance, .createTrial:
            RequestPolicy(mode: .selfService, response: .workingDays(1), resolution: .workingDays(1), resolutionFrom: self == .createInstance ? .agreement : .submission)
        case .suspend, .tearDown:
            RequestPolicy(mode: .manual, response: .hours(24), resolution: .workingDays(15), resolutionFrom: .agreement, conflictGroup: .lifecycle)
        case .resume:
            RequestPolicy(mode: .manual, response: .hours(24), conflictGroup: .lifecycle)
        case .convertTrial:
            RequestPolicy(mode: .selfService, conflictGroup: .lifecycle)
        case .enableTelemetry, .disableTelemetry:
            RequestPolicy(mode: .manual, conflictGroup: .telemetry)
        case .addIngressCIDRs, .removeIngressCIDRs:
            RequestPolicy(mode: .manual, response: .workingDays(1), resolution: .days(3), resolutionFrom: .submission, conflictGroup: .allowlist)
        case .enableAIGateway, .disableAIGateway:
            RequestPolicy(mode: .selfService, conflictGroup: .aiGateway)
        case .addCustomDomain:
            RequestPolicy(mode: .manual, response: .workingDays(3), resolution: .weeks(2), resolutionFrom: .submission)
        case .egressConnectivity:
            RequestPolicy(mode: .manual, conflictGroup: .egress)
        case .updateLicenceKey:
            RequestPolicy(mode: .selfService, conflictGroup: .licence)
        case .resetAdminPassword, .restartFrontend:
            RequestPolicy(mode: .selfService)
        case .monthlyUpgrade:
            RequestPolicy(mode: .automatic, resolution: .workingDays(10), resolutionFrom: .release, conflictGroup: .upgrade)
        case .patchUpgrade:
            RequestPolicy(mode: .automatic, resolution: .weeks(1), resolutionFrom: .release, conflictGroup: .upgrade)
        }
    }
}

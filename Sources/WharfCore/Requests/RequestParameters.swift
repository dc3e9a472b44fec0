import Foundation

/// The parameters of a request. One type for every kind keeps the wire format flat and the errors
/// uniform; `RequestParameters.fields` says which members each kind takes, and a member a kind does not
/// take is an error rather than silently ignored.
public struct RequestParameters: Codable, Sendable, Equatable {
    /// The new instance, for `create_instance` and `create_trial`.
    public var instance: InstanceDraft?
    public var reason: String?
    /// The instance's slug typed again, for `tear_down`.
    public var confirm: String?
    public var plan: Plan?
    public var cidrs: [String]?
    public var domain: String?
    public var staticEgressIP: Bool?
    public var privateConnectivity: Bool?
    /// Secret: applied on approval and never stored with the request (only its fingerprint is).
    public var licenceKey: String?
    public var version: String?
    public var releasedAt: Date?

    public init(
        instance: InstanceDraft? = nil, reason: String? = nil, confirm: String? = nil, plan: Plan? = nil, cidrs: [String]? = nil,
        domain: String? = nil, staticEgressIP: Bool? = nil, privateConnectivity: Bool? = nil, licenceKey: String? = nil,
        version: String? = nil, releasedAt: Date? = nil
    ) {
        self.instance = instance
        self.reason = reason
        self.confirm = confirm
        self.plan = plan
        self.cidrs = cidrs
        self.domain = domain
        self.staticEgressIP = staticEgressIP
        self.privateConnectivity = privateConnectivity
        self.licenceKey = licenceKey
        self.version = version
        self.releasedAt = releasedAt
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case instance, reason, confirm, plan, cidrs, domain, staticEgressIP, privateConnectivity, licenceKey, version, releasedAt
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        instance = try c.decodeIfPresent(InstanceDraft.self, forKey: .instance)
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
        confirm = try c.decodeIfPresent(String.self, forKey: .confirm)
        plan = try c.decodeIfPresent(Plan.self, forKey: .plan)
        cidrs = try c.decodeIfPresent([String].self, forKey: .cidrs)
        domain = try c.decodeIfPresent(String.self, forKey: .domain)
        staticEgressIP = try c.decodeIfPresent(Bool.self, forKey: .staticEgressIP)
        privateConnectivity = try c.decodeIfPresent(Bool.self, forKey: .privateConnectivity)
        licenceKey = try c.decodeIfPresent(String.self, forKey: .licenceKey)
        version = try c.decodeIfPresent(String.self, forKey: .version)
        releasedAt = try c.decodeIfPresent(Date.self, forKey: .releasedAt)
    }

    /// The members each kind requires and may take.
    static func fields(of kind: RequestKind) -> (required: [CodingKeys], optional: [CodingKeys]) {
        switch kind {
        case .createInstance, .createTrial: ([.instance], [])
        case .suspend: ([.reason], [])
        case .tearDown: ([.confirm], [.reason])
        case .convertTrial: ([], [.plan])
        case .addIngressCIDRs, .removeIngressCIDRs: ([.cidrs], [.reason])
        case .addCustomDomain: ([.domain], [])
        case .egressConnectivity: ([], [.staticEgressIP, .privateConnectivity, .reason])
        case .updateLicenceKey: ([.licenceKey], [])
        case .monthlyUpgrade, .patchUpgrade: ([.version, .releasedAt], [])
        case .resume, .enableTelemetry, .disableTelemetry, .enableAIGateway, .disableAIGateway, .resetAdminPassword, .restartFrontend: ([], [.reason])
        }
    }

    /// The members that are set, by wire name.
    var presentFields: [CodingKeys] {
        let present: [CodingKeys: Bool] = [
            .instance: instance != nil, .reason: reason != nil, .confirm: confirm != nil, .plan: plan != nil, .cidrs: cidrs != nil,
            .domain: domain != nil, .staticEgressIP: staticEgressIP != nil, .privateConnectivity: privateConnectivity != nil,
            .licenceKey: licenceKey != nil, .version: version != nil, .releasedAt: releasedAt != nil,
        ]
        return CodingKeys.allCases.filter { present[$0] == true }
    }

    /// Checks the members against `kind` and normalises their values (CIDRs, domain), recording every
    /// problem under `parameters.…`.
    mutating func validate(for kind: RequestKind, into v: inout Validator) {
        let (required, optional) = Self.fields(of: kind)
        let takes = (required + optional).map(\.rawValue)
        for field in presentFields where !required.contains(field) && !optional.contains(field) {
            let accepted = takes.isEmpty ? "it takes no parameters" : "it takes \(takes.joined(separator: ", "))"
            v.add("parameters.\(field.rawValue)", "not_applicable", "is not a parameter of \(kind.rawValue); \(accepted)")
        }
        for field in required where !presentFields.contains(field) {
            v.add("parameters.\(field.rawValue)", "required", "is required for \(kind.rawValue)")
        }
        if let reason, reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || reason.count > 2000 {
            v.add("parameters.reason", "invalid_reason", "must be 1 to 2000 characters of text")
        }
        if let list = cidrs {
            if list.isEmpty { v.add("parameters.cidrs", "required", "must list at least one CIDR") }
            cidrs = InstanceRules.normalisedCIDRs(list, at: "parameters.cidrs", into: &v)
        }
        if let domain { self.domain = v.check("parameters.domain") { () throws(FieldProblem) in try DomainName.parse(domain) } ?? domain }
        if let licenceKey { _ = v.check("parameters.licenceKey") { () throws(FieldProblem) in try LicenceKey.parse(licenceKey) } }
        if let version { _ = v.check("parameters.version") { () throws(FieldProblem) in try ProductVersion.parse(version) } }
        if kind == .egressConnectivity, staticEgressIP == nil, privateConnectivity == nil {
            v.add("parameters", "required", "egress_connectivity needs staticEgressIP, privateConnectivity or both")
        }
        if kind == .createTrial, let draft = instance, draft.trialExpiresAt == nil {
            v.add("parameters.instance.trialExpiresAt", "required", "a trial needs an expiry date")
        }
        if kind == .createTrial, let type = instance?.type, type != .trial {
            v.add("parameters.instance.type", "not_a_trial", "create_trial makes a trial; leave type out or set it to trial")
        }
        if kind == .createInstance, instance?.type == .trial {
            v.add("parameters.instance.type", "use_create_trial", "trials are requested with create_trial")
        }
    }

    /// The parameters as they are kept with the request: secrets replaced by their fingerprint.
    public var redacted: RequestParameters {
        var copy = self
        if let key = licenceKey { copy.licenceKey = LicenceKey.fingerprint(key) }
        if let key = copy.instance?.licenceKey { copy.instance?.licenceKey = LicenceKey.fingerprint(key) }
        return copy
    }
}

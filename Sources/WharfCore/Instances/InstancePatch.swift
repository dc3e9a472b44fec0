import Foundation

/// A partial update of an instance's mutable members; an absent member is left as it is.
///
/// `slug`, `customerId` and `environment` are recognised but refused as immutable, and `state` is changed
/// only through lifecycle events, so a caller gets a precise error instead of a silent no-op.
public struct InstancePatch: Codable, Sendable, Equatable {
    public var type: InstanceType?
    public var plan: Plan?
    public var productVersion: String?
    public var channel: ReleaseChannel?
    public var customDomains: [String]?
    public var ingressAllowlist: [String]?
    public var privateConnectivity: Bool?
    public var telemetry: Bool?
    public var aiGatewayAccess: Bool?
    /// Replaces the instance's AI gateway limit overrides; `{}` goes back to the plan's limits.
    public var aiGatewayLimits: GatewayLimits?
    public var licenceKey: String?
    public var adminEmail: String?
    public var executors: Int?
    public var maintenanceWindow: MaintenanceWindow?
    public var backupPolicy: BackupPolicy?
    public var trialExpiresAt: Date?
    /// Immutable members the caller tried to set; reported as errors by `applied(to:now:)`.
    var immutableMembers: [String] = []

    public init(
        type: InstanceType? = nil, plan: Plan? = nil, productVersion: String? = nil, channel: ReleaseChannel? = nil,
        customDomains: [String]? = nil, ingressAllowlist: [String]? = nil, privateConnectivity: Bool? = nil,
        telemetry: Bool? = nil, aiGatewayAccess: Bool? = nil, licenceKey: String? = nil, adminEmail: String? = nil,
        executors: Int? = nil, maintenanceWindow: MaintenanceWindow? = nil, backupPolicy: BackupPolicy? = nil,
        trialExpiresAt: Date? = nil
    ) {
        self.type = type
        self.plan = plan
        self.productVersion = productVersion
        self.channel = channel
        self.customDomains = customDomains
        self.ingressAllowlist = ingressAllowlist
        self.privateConnectivity = privateConnectivity
        self.telemetry = telemetry
        self.aiGatewayAccess = aiGatewayAccess
        self.licenceKey = licenceKey
        self.adminEmail = adminEmail
        self.executors = executors
        self.maintenanceWindow = maintenanceWindow
        self.backupPolicy = backupPolicy
        self.trialExpiresAt = trialExpiresAt
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, plan, productVersion, channel, customDomains, ingressAllowlist, privateConnectivity, telemetry
        case aiGatewayAccess, aiGatewayLimits, licenceKey, adminEmail, executors, maintenanceWindow, backupPolicy, trialExpiresAt
        case slug, customerID = "customerId", environment, state
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decodeIfPresent(InstanceType.self, forKey: .type)
        plan = try c.decodeIfPresent(Plan.self, forKey: .plan)
        productVersion = try c.decodeIfPresent(String.self, forKey: .productVersion)
        channel = try c.decodeIfPresent(ReleaseChannel.self, forKey: .channel)
        customDomains = try c.decodeIfPresent([String].self, forKey: .customDomains)
        ingressAllowlist = try c.decodeIfPresent([String].self, forKey: .ingressAllowlist)
        privateConnectivity = try c.decodeIfPresent(Bool.self, forKey: .privateConnectivity)
        telemetry = try c.decodeIfPresent(Bool.self, forKey: .telemetry)
        aiGatewayAccess = try c.decodeIfPresent(Bool.self, forKey: .aiGatewayAccess)
        aiGatewayLimits = try c.decodeIfPresent(GatewayLimits.self, forKey: .aiGatewayLimits)
        licenceKey = try c.decodeIfPresent(String.self, forKey: .licenceKey)
        adminEmail = try c.decodeIfPresent(String.self, forKey: .adminEmail)
        executors = try c.decodeIfPresent(Int.self, forKey: .executors)
        maintenanceWindow = try c.decodeIfPresent(MaintenanceWindow.self, forKey: .maintenanceWindow)
        backupPolicy = try c.decodeIfPresent(BackupPolicy.self, forKey: .backupPolicy)
        trialExpiresAt = try c.decodeIfPresent(Date.self, forKey: .trialExpiresAt)
        immutableMembers = [CodingKeys.slug, .customerID, .environment, .state].filter(c.contains).map(\.stringValue)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(type, forKey: .type)
        try c.encodeIfPresent(plan, forKey: .plan)
        try c.encodeIfPresent(productVersion, forKey: .productVersion)
        try c.encodeIfPresent(channel, forKey: .channel)
        try c.encodeIfPresent(customDomains, forKey: .customDomains)
        try c.encodeIfPresent(ingressAllowlist, forKey: .ingressAllowlist)
        try c.encodeIfPresent(privateConnectivity, forKey: .privateConnectivity)
        try c.encodeIfPresent(telemetry, forKey: .telemetry)
        try c.encodeIfPresent(aiGatewayAccess, forKey: .aiGatewayAccess)
        try c.encodeIfPresent(aiGatewayLimits, forKey: .aiGatewayLimits)
        try c.encodeIfPresent(licenceKey, forKey: .licenceKey)
        try c.encodeIfPresent(adminEmail, forKey: .adminEmail)
        try c.encodeIfPresent(executors, forKey: .executors)
        try c.encodeIfPresent(maintenanceWindow, forKey: .maintenanceWindow)
        try c.encodeIfPresent(backupPolicy, forKey: .backupPolicy)
        try c.encodeIfPresent(trialExpiresAt, forKey: .trialExpiresAt)
    }

    /// True when the patch changes nothing at all.
    public var isEmpty: Bool { self == InstancePatch() }

    /// The instance with the patch applied and validated, plus the new licence key if one was given.
    public func applied(to current: Instance, now: Date) throws(WharfError) -> (instance: Instance, licenceKey: String?) {
        var v = Validator()
        for member in immutableMembers {
            let hint = member == "state" ? "use a lifecycle event (POST …/events)" : "it is fixed when the instance is created"
            v.add(member, "immutable", "cannot be changed: \(hint)")
        }
        var next = current
        if let type { next.type = type }
        if let plan { next.plan = plan }
        if let channel { next.channel = channel }
        if let privateConnectivity { next.privateConnectivity = privateConnectivity }
        if let telemetry { next.telemetry = telemetry }
        if let aiGatewayAccess { next.aiGatewayAccess = aiGatewayAccess }
        if let aiGatewayLimits {
            aiGatewayLimits.check(at: "aiGatewayLimits", into: &v)
            next.aiGatewayLimits = aiGatewayLimits
        }
        if let executors { next.executors = executors }
        if let maintenanceWindow { next.maintenanceWindow = maintenanceWindow }
        if let backupPolicy { next.backupPolicy = backupPolicy }
        if let trialExpiresAt { next.trialExpiresAt = trialExpiresAt }
        if type != nil, type != .trial, trialExpiresAt == nil { next.trialExpiresAt = nil }
        let key = InstanceRules.apply(
            InstanceChanges(
                productVersion: productVersion, customDomains: customDomains, ingressAllowlist: ingressAllowlist,
                licenceKey: licenceKey, adminEmail: adminEmail, trialExpiresAt: trialExpiresAt
            ),
            to: &next, now: now, into: &v
        )
        try v.finish()
        if next != current { next.updatedAt = now }
        return (next, key)
    }
}

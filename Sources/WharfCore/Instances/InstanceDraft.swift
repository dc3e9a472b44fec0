import Foundation

/// The input that creates an instance. Optional members get documented defaults; everything is validated
/// together so the caller sees every problem at once.
public struct InstanceDraft: Codable, Sendable, Equatable {
    public var slug: String
    public var customerID: String
    public var environment: DeploymentEnvironment?
    public var type: InstanceType?
    public var plan: Plan
    public var productVersion: String
    public var channel: ReleaseChannel?
    public var customDomains: [String]?
    public var ingressAllowlist: [String]?
    public var privateConnectivity: Bool?
    public var telemetry: Bool?
    public var aiGatewayAccess: Bool?
    public var licenceKey: String?
    public var adminEmail: String
    public var executors: Int?
    public var maintenanceWindow: MaintenanceWindow?
    public var backupPolicy: BackupPolicy?
    public var trialExpiresAt: Date?

    public init(
        slug: String, customerID: String, plan: Plan, productVersion: String, adminEmail: String,
        environment: DeploymentEnvironment? = nil, type: InstanceType? = nil, channel: ReleaseChannel? = nil,
        customDomains: [String]? = nil, ingressAllowlist: [String]? = nil, privateConnectivity: Bool? = nil,
        telemetry: Bool? = nil, aiGatewayAccess: Bool? = nil, licenceKey: String? = nil, executors: Int? = nil,
        maintenanceWindow: MaintenanceWindow? = nil, backupPolicy: BackupPolicy? = nil, trialExpiresAt: Date? = nil
    ) {
        self.slug = slug
        self.customerID = customerID
        self.plan = plan
        self.productVersion = productVersion
        self.adminEmail = adminEmail
        self.environment = environment
        self.type = type
        self.channel = channel
        self.customDomains = customDomains
        self.ingressAllowlist = ingressAllowlist
        self.privateConnectivity = privateConnectivity
        self.telemetry = telemetry
        self.aiGatewayAccess = aiGatewayAccess
        self.licenceKey = licenceKey
        self.executors = executors
        self.maintenanceWindow = maintenanceWindow
        self.backupPolicy = backupPolicy
        self.trialExpiresAt = trialExpiresAt
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case slug, customerID = "customerId", environment, type, plan, productVersion, channel, customDomains
        case ingressAllowlist, privateConnectivity, telemetry, aiGatewayAccess, licenceKey, adminEmail, executors
        case maintenanceWindow, backupPolicy, trialExpiresAt
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        slug = try c.decode(String.self, forKey: .slug)
        customerID = try c.decode(String.self, forKey: .customerID)
        environment = try c.decodeIfPresent(DeploymentEnvironment.self, forKey: .environment)
        type = try c.decodeIfPresent(InstanceType.self, forKey: .type)
        plan = try c.decode(Plan.self, forKey: .plan)
        productVersion = try c.decode(String.self, forKey: .productVersion)
        channel = try c.decodeIfPresent(ReleaseChannel.self, forKey: .channel)
        customDomains = try c.decodeIfPresent([String].self, forKey: .customDomains)
        ingressAllowlist = try c.decodeIfPresent([String].self, forKey: .ingressAllowlist)
        privateConnectivity = try c.decodeIfPresent(Bool.self, forKey: .privateConnectivity)
        telemetry = try c.decodeIfPresent(Bool.self, forKey: .telemetry)
        aiGatewayAccess = try c.decodeIfPresent(Bool.self, forKey: .aiGatewayAccess)
        licenceKey = try c.decodeIfPresent(String.self, forKey: .licenceKey)
        adminEmail = try c.decode(String.self, forKey: .adminEmail)
        executors = try c.decodeIfPresent(Int.self, forKey: .executors)
        maintenanceWindow = try c.decodeIfPresent(MaintenanceWindow.self, forKey: .maintenanceWindow)
        backupPolicy = try c.decodeIfPresent(BackupPolicy.self, forKey: .backupPolicy)
        trialExpiresAt = try c.decodeIfPresent(Date.self, forKey: .trialExpiresAt)
    }

    /// Validates and normalises the draft into a new `requested` instance plus its licence key (if any).
    public func validated(now: Date, baseDomain: String) throws(WharfError) -> (instance: Instance, licenceKey: String?) {
        var v = Validator()
        let slug = v.check("slug") { () throws(FieldProblem) in try Slug.parse(self.slug) } ?? self.slug
        _ = v.check("customerId") { () throws(FieldProblem) in try Slug.parse(self.customerID) }
        let type = self.type ?? .production
        var instance = Instance(
            slug: slug, customerID: customerID, customerName: "", environment: environment ?? .prod, type: type, plan: plan,
            productVersion: productVersion, channel: channel ?? (type == .internal ? .fast : .stable),
            defaultDomain: "\(slug).\(baseDomain)", customDomains: [], ingressAllowlist: [], egressStaticIPs: [], staticEgress: false,
            privateConnectivity: privateConnectivity ?? false, telemetry: telemetry ?? true,
            aiGatewayAccess: aiGatewayAccess ?? false, aiGatewayLimits: GatewayLimits(), licenceKeyFingerprint: nil, adminEmail: adminEmail,
            executors: executors ?? 1, maintenanceWindow: maintenanceWindow ?? .default,
            backupPolicy: backupPolicy ?? plan.defaultBackupPolicy, trialExpiresAt: trialExpiresAt,
            state: .requested, failureReason: nil, dataRetainedUntil: nil, frontendRestarts: 0, createdAt: now, updatedAt: now
        )
        let key = InstanceRules.apply(
            InstanceChanges(
                productVersion: productVersion, customDomains: customDomains, ingressAllowlist: ingressAllowlist,
                licenceKey: licenceKey, adminEmail: adminEmail, trialExpiresAt: trialExpiresAt
            ),
            to: &instance, now: now, into: &v
        )
        try v.finish()
        return (instance, key)
    }
}

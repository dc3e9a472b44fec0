import Foundation

/// A customer's dedicated instance: the registry record every other part of Wharf reads (SPEC §1).
///
/// The licence key itself is never part of this value; the store keeps it sealed and the record carries
/// only its fingerprint.
public struct Instance: Codable, Sendable, Equatable {
    public var slug: String
    public var customerID: String
    /// The customer's display name, filled in from the customer record when read.
    public var customerName: String
    public var environment: DeploymentEnvironment
    public var type: InstanceType
    public var plan: Plan
    public var productVersion: String
    public var channel: ReleaseChannel
    public var defaultDomain: String
    public var customDomains: [CustomDomain]
    public var ingressAllowlist: [String]
    /// Static egress addresses reserved for the customer; assigned by provisioning, never by a caller.
    public var egressStaticIPs: [String]
    /// The customer asked for fixed egress addresses; provisioning fills `egressStaticIPs`.
    public var staticEgress: Bool
    public var privateConnectivity: Bool
    public var telemetry: Bool
    public var aiGatewayAccess: Bool
    /// The instance's own AI gateway limits, over its plan's (`Plan.gatewayLimits`); empty for none.
    public var aiGatewayLimits: GatewayLimits
    public var licenceKeyFingerprint: String?
    public var adminEmail: String
    public var executors: Int
    public var maintenanceWindow: MaintenanceWindow
    public var backupPolicy: BackupPolicy
    public var trialExpiresAt: Date?
    public var state: InstanceState
    public var failureReason: String?
    /// Set by a tear-down: the instance's data is kept until then and may be destroyed only after it.
    public var dataRetainedUntil: Date?
    /// How many front-end restarts were asked for; a product launched for fewer is restarted. A count, not
    /// a time, so "restarted since it was asked" never depends on clock resolution.
    public var frontendRestarts: Int
    public var createdAt: Date
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case slug, customerID = "customerId", customerName, environment, type, plan, productVersion, channel, defaultDomain
        case customDomains, ingressAllowlist, egressStaticIPs, staticEgress, privateConnectivity, telemetry, aiGatewayAccess
        case aiGatewayLimits
        case licenceKeyFingerprint, adminEmail, executors, maintenanceWindow, backupPolicy, trialExpiresAt
        case state, failureReason, dataRetainedUntil, frontendRestarts, createdAt, updatedAt
    }
}

extension Instance {
    /// Members added after the first schema default when a stored document lacks them, so records need no
    /// migration when the type grows.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        slug = try c.decode(String.self, forKey: .slug)
        customerID = try c.decode(String.self, forKey: .customerID)
        customerName = try c.decode(String.self, forKey: .customerName)
        environment = try c.decode(DeploymentEnvironment.self, forKey: .environment)
        type = try c.decode(InstanceType.self, forKey: .type)
        plan = try c.decode(Plan.self, forKey: .plan)
        productVersion = try c.decode(String.self, forKey: .productVersion)
        channel = try c.decode(ReleaseChannel.self, forKey: .channel)
        defaultDomain = try c.decode(String.self, forKey: .defaultDomain)
        customDomains = try c.decode([CustomDomain].self, forKey: .customDomains)
        ingressAllowlist = try c.decode([String].self, forKey: .ingressAllowlist)
        egressStaticIPs = try c.decode([String].self, forKey: .egressStaticIPs)
        staticEgress = try c.decodeIfPresent(Bool.self, forKey: .staticEgress) ?? false
        privateConnectivity = try c.decode(Bool.self, forKey: .privateConnectivity)
        telemetry = try c.decode(Bool.self, forKey: .telemetry)
        aiGatewayAccess = try c.decode(Bool.self, forKey: .aiGatewayAccess)
        aiGatewayLimits = try c.decodeIfPresent(GatewayLimits.self, forKey: .aiGatewayLimits) ?? GatewayLimits()
        licenceKeyFingerprint = try c.decodeIfPresent(String.self, forKey: .licenceKeyFingerprint)
        adminEmail = try c.decode(String.self, forKey: .adminEmail)
        executors = try c.decode(Int.self, forKey: .executors)
        maintenanceWindow = try c.decode(MaintenanceWindow.self, forKey: .maintenanceWindow)
        backupPolicy = try c.decode(BackupPolicy.self, forKey: .backupPolicy)
        trialExpiresAt = try c.decodeIfPresent(Date.self, forKey: .trialExpiresAt)
        state = try c.decode(InstanceState.self, forKey: .state)
        failureReason = try c.decodeIfPresent(String.self, forKey: .failureReason)
        dataRetainedUntil = try c.decodeIfPresent(Date.self, forKey: .dataRetainedUntil)
        frontendRestarts = try c.decodeIfPresent(Int.self, forKey: .frontendRestarts) ?? 0
        createdAt = try c.decode(Date.self, forKey: .createdAt)
        updatedAt = try c.decode(Date.self, forKey: .updatedAt)
    }
}

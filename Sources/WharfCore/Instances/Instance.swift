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
    public var privateConnectivity: Bool
    public var telemetry: Bool
    public var aiGatewayAccess: Bool
    public var licenceKeyFingerprint: String?
    public var adminEmail: String
    public var executors: Int
    public var maintenanceWindow: MaintenanceWindow
    public var backupPolicy: BackupPolicy
    public var trialExpiresAt: Date?
    public var state: InstanceState
    public var failureReason: String?
    public var createdAt: Date
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case slug, customerID = "customerId", customerName, environment, type, plan, productVersion, channel, defaultDomain
        case customDomains, ingressAllowlist, egressStaticIPs, privateConnectivity, telemetry, aiGatewayAccess
        case licenceKeyFingerprint, adminEmail, executors, maintenanceWindow, backupPolicy, trialExpiresAt
        case state, failureReason, createdAt, updatedAt
    }
}

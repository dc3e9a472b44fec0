import Foundation
import WharfCore

/// What the registry wants of one instance, as a provider needs it: the record, plus what is not in it
/// (the licence key itself, and when a front-end restart was last asked for).
public struct DesiredInstance: Sendable, Equatable {
    public var instance: Instance
    /// The unsealed licence key, handed to the product's environment.
    public var licenceKey: String?
    /// The approval time of the newest `restart_frontend` request still in progress.
    public var restartRequestedAt: Date?

    public init(instance: Instance, licenceKey: String? = nil, restartRequestedAt: Date? = nil) {
        self.instance = instance
        self.licenceKey = licenceKey
        self.restartRequestedAt = restartRequestedAt
    }

    public var slug: String { instance.slug }

    /// Whether the product should be running: from the request that creates it until it is suspended or
    /// torn down. A failed instance is left as it is until an operator retries it.
    public var shouldRun: Bool { [.requested, .provisioning, .active].contains(instance.state) }

    /// What the product's process is started with; a running process launched with something else is
    /// restarted.
    public var launch: LaunchSpec {
        LaunchSpec(
            productVersion: instance.productVersion, telemetry: instance.telemetry, licenceKeyFingerprint: instance.licenceKeyFingerprint,
            adminEmail: instance.adminEmail
        )
    }
}

/// The members of the instance record a running product was started with.
public struct LaunchSpec: Codable, Sendable, Equatable {
    public var productVersion: String
    public var telemetry: Bool
    public var licenceKeyFingerprint: String?
    public var adminEmail: String

    public init(productVersion: String, telemetry: Bool, licenceKeyFingerprint: String?, adminEmail: String) {
        self.productVersion = productVersion
        self.telemetry = telemetry
        self.licenceKeyFingerprint = licenceKeyFingerprint
        self.adminEmail = adminEmail
    }
}

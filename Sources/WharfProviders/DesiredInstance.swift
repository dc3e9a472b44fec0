import Foundation
import WharfCore

/// What the registry wants of one instance, as a provider needs it: the record, plus the licence key
/// itself, which the record does not hold.
public struct DesiredInstance: Sendable, Equatable {
    public var instance: Instance
    /// The unsealed licence key, handed to the product's environment.
    public var licenceKey: String?
    public init(instance: Instance, licenceKey: String? = nil) {
        self.instance = instance
        self.licenceKey = licenceKey
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
            adminEmail: instance.adminEmail, frontendRestarts: instance.frontendRestarts
        )
    }
}

/// The members of the instance record a running product was started with.
public struct LaunchSpec: Codable, Sendable, Equatable {
    public var productVersion: String
    public var telemetry: Bool
    public var licenceKeyFingerprint: String?
    public var adminEmail: String
    public var frontendRestarts: Int

    public init(productVersion: String, telemetry: Bool, licenceKeyFingerprint: String?, adminEmail: String, frontendRestarts: Int = 0) {
        self.productVersion = productVersion
        self.telemetry = telemetry
        self.licenceKeyFingerprint = licenceKeyFingerprint
        self.adminEmail = adminEmail
        self.frontendRestarts = frontendRestarts
    }
}

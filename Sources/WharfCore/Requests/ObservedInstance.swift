import Foundation

/// What a provider sees of an instance in the world, as opposed to what the registry wants. The
/// reconciler fills it in; `RequestCompletion` compares it with the desired state.
public struct ObservedInstance: Sendable, Equatable {
    public enum Process: String, Sendable { case absent, stopped, running }

    public var process: Process
    /// Whether the product answers its health check.
    public var healthy: Bool
    public var productVersion: String?
    public var telemetry: Bool?
    public var licenceKeyFingerprint: String?
    /// The allowlist the edge enforces.
    public var ingressAllowlist: [String]
    /// Custom domains whose ownership is verified and which the edge routes.
    public var routedDomains: [String]
    public var staticEgress: Bool
    public var privateConnectivity: Bool
    /// When the product's front end last started.
    public var startedAt: Date?
    /// The instance's front-end restart count the running product was launched for.
    public var frontendRestarts: Int?

    public init(
        process: Process, healthy: Bool = false, productVersion: String? = nil, telemetry: Bool? = nil, licenceKeyFingerprint: String? = nil,
        ingressAllowlist: [String] = [], routedDomains: [String] = [], staticEgress: Bool = false, privateConnectivity: Bool = false,
        startedAt: Date? = nil, frontendRestarts: Int? = nil
    ) {
        self.process = process
        self.healthy = healthy
        self.productVersion = productVersion
        self.telemetry = telemetry
        self.licenceKeyFingerprint = licenceKeyFingerprint
        self.ingressAllowlist = ingressAllowlist
        self.routedDomains = routedDomains
        self.staticEgress = staticEgress
        self.privateConnectivity = privateConnectivity
        self.startedAt = startedAt
        self.frontendRestarts = frontendRestarts
    }
}

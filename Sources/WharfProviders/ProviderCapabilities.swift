import WharfCore

/// The networking a provider can give an instance. A request for something the provider cannot do fails
/// with the reason instead of waiting forever for the world to match.
public struct ProviderCapabilities: Sendable, Equatable {
    /// The provider's name as users see it, for the reason.
    public var provider: String
    public var staticEgress: Bool
    public var privateConnectivity: Bool

    public init(provider: String, staticEgress: Bool, privateConnectivity: Bool) {
        self.provider = provider
        self.staticEgress = staticEgress
        self.privateConnectivity = privateConnectivity
    }

    /// Why the provider cannot run `instance` as its record asks, or nil when it can.
    public func lacking(for instance: Instance) -> String? {
        var missing: [String] = []
        if instance.staticEgress, !staticEgress { missing.append("static egress addresses") }
        if instance.privateConnectivity, !privateConnectivity { missing.append("private connectivity") }
        guard !missing.isEmpty else { return nil }
        return "the \(provider) provider cannot give an instance \(missing.joined(separator: " or ")); the gcp provider can"
    }
}

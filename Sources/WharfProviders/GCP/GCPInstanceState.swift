import Foundation

/// What the `gcp` provider knows of one instance from its own last run, kept beside the instance's module
/// (`wharf-state.json`): Terraform's state is in the bucket, this is what observing needs without a plan.
struct GCPInstanceState: Codable, Sendable, Equatable {
    /// Whether the last apply left the instance running (`var.running`) rather than suspended.
    var running: Bool
    /// What the running product was launched with.
    var launch: LaunchSpec?
    /// Where the instance answers (its default domain), for the health probe.
    var host: String
    /// The reserved egress addresses Terraform reported (`egress_addresses`), empty without static egress.
    var egressAddresses: [String]
    var staticEgress: Bool
    var privateConnectivity: Bool
    var appliedAt: Date
}

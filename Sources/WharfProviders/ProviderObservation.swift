import Foundation
import WharfCore

/// What a provider sees of one instance: the observation requests are completed against, plus what
/// planning and the health report need (what the process was launched with, where it listens, whether
/// data exists, its recent crashes).
public struct ProviderObservation: Sendable, Equatable {
    public var observed: ObservedInstance
    /// What the running (or last) process was started with.
    public var launch: LaunchSpec?
    public var hasData: Bool
    /// Crashes in the provider's recent window, oldest first; a crash loop is reported, not hidden.
    public var crashes: [Date]
    /// So many recent crashes that the provider calls it a crash loop.
    public var crashLoop: Bool
    /// Crashes not yet recorded in the instance's history; the reconciler records them and acknowledges.
    public var unreportedCrashes: [Date]
    /// The operating-system process, while it runs.
    public var processID: Int32?
    /// Where the product listens (`host:port`), while it runs; the edge routes there.
    public var endpoint: String?
    /// The static egress addresses the provider reserved, when it reserves any; recorded on the instance.
    public var egressAddresses: [String]?

    public init(
        observed: ObservedInstance, launch: LaunchSpec? = nil, hasData: Bool = false, crashes: [Date] = [], crashLoop: Bool = false, unreportedCrashes: [Date] = [],
        processID: Int32? = nil, endpoint: String? = nil, egressAddresses: [String]? = nil
    ) {
        self.observed = observed
        self.launch = launch
        self.hasData = hasData
        self.crashes = crashes
        self.crashLoop = crashLoop
        self.unreportedCrashes = unreportedCrashes
        self.processID = processID
        self.endpoint = endpoint
        self.egressAddresses = egressAddresses
    }

    public var recentCrashes: Int { crashes.count }

    /// Nothing there at all.
    public static let absent = ProviderObservation(observed: ObservedInstance(process: .absent))
}

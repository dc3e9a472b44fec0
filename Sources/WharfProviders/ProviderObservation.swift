import Foundation
import WharfCore

/// What a provider sees of one instance: the observation requests are completed against, plus what
/// planning needs (what the process was launched with, whether data exists, its recent crashes).
public struct ProviderObservation: Sendable, Equatable {
    public var observed: ObservedInstance
    /// What the running (or last) process was started with.
    public var launch: LaunchSpec?
    public var hasData: Bool
    /// Restarts after crashes in the recent window; a crash loop is reported, not hidden.
    public var recentCrashes: Int
    public var lastCrashAt: Date?

    public init(observed: ObservedInstance, launch: LaunchSpec? = nil, hasData: Bool = false, recentCrashes: Int = 0, lastCrashAt: Date? = nil) {
        self.observed = observed
        self.launch = launch
        self.hasData = hasData
        self.recentCrashes = recentCrashes
        self.lastCrashAt = lastCrashAt
    }

    /// Nothing there at all.
    public static let absent = ProviderObservation(observed: ObservedInstance(process: .absent))
}

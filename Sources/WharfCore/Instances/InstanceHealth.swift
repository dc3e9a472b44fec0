import Foundation

/// The "pods-health" report on one instance (SPEC §6): its process, its port, its `/-/healthz`, the
/// version it reports against the one the registry wants, and its last restarts and crashes.
public struct InstanceHealth: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        /// Running and answering its health check.
        case healthy
        /// Running but not answering (yet).
        case unhealthy
        /// Exiting again and again; `lastLogLines` says why.
        case crashLoop = "crash_loop"
        /// Should run and does not.
        case down
        /// Stopped, as the registry wants (suspended, torn down, failed).
        case stopped
    }

    public struct Process: Codable, Sendable, Equatable {
        public var state: String
        public var pid: Int32?
        public var endpoint: String?
        public var startedAt: Date?

        public init(state: String, pid: Int32?, endpoint: String?, startedAt: Date?) {
            self.state = state
            self.pid = pid
            self.endpoint = endpoint
            self.startedAt = startedAt
        }
    }

    public struct Version: Codable, Sendable, Equatable {
        public var desired: String
        public var reported: String?
        public var matches: Bool

        public init(desired: String, reported: String?) {
            self.desired = desired
            self.reported = reported
            self.matches = reported == desired
        }
    }

    /// A start, stop, restart or crash from the instance's history.
    public struct Event: Codable, Sendable, Equatable {
        public var at: Date
        public var event: String
        public var detail: JSONValue?

        public init(at: Date, event: String, detail: JSONValue?) {
            self.at = at
            self.event = event
            self.detail = detail
        }
    }

    public struct Uptime: Codable, Sendable, Equatable {
        public var probes: Int
        public var healthy: Int

        public init(probes: Int, healthy: Int) {
            self.probes = probes
            self.healthy = healthy
        }
    }

    public var instance: String
    public var state: InstanceState
    public var status: Status
    public var process: Process
    public var healthz: String
    public var version: Version
    public var recentCrashes: Int
    public var crashLoop: Bool
    public var lastEvents: [Event]
    /// The product's last log lines, when it is not healthy.
    public var lastLogLines: [String]
    /// The periodic probes of the last hour.
    public var lastHour: Uptime
    public var checkedAt: Date

    public init(
        instance: String, state: InstanceState, status: Status, process: Process, healthz: String, version: Version, recentCrashes: Int,
        crashLoop: Bool, lastEvents: [Event], lastLogLines: [String], lastHour: Uptime, checkedAt: Date
    ) {
        self.instance = instance
        self.state = state
        self.status = status
        self.process = process
        self.healthz = healthz
        self.version = version
        self.recentCrashes = recentCrashes
        self.crashLoop = crashLoop
        self.lastEvents = lastEvents
        self.lastLogLines = lastLogLines
        self.lastHour = lastHour
        self.checkedAt = checkedAt
    }
}

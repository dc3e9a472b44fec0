import Foundation

/// How the reconciler paces itself.
public struct ReconcilerConfiguration: Sendable {
    /// A converged instance is looked at again after this long even if nothing changed (level-triggered).
    public var resync: TimeInterval = 30
    /// How long a claimed job is held; a worker renews it while it works, so only a dead worker's job expires.
    public var lease: TimeInterval = 15
    /// How often the loop looks for due jobs and for processes that stopped on their own.
    public var tick: Duration = .milliseconds(200)
    /// Instances worked on at once by this worker.
    public var concurrency = 16
    /// Names this worker in job leases; unique per process.
    public var workerID: String

    public init(workerID: String = ReconcilerConfiguration.uniqueWorkerID()) {
        self.workerID = workerID
    }

    /// `host/pid/random`: unique, and it says where the worker ran, so a successor on the same host can
    /// tell that it died.
    public static func uniqueWorkerID() -> String {
        "\(ProcessInfo.processInfo.hostName)/\(ProcessInfo.processInfo.processIdentifier)/\(UUID().uuidString.prefix(8))"
    }

    /// Whether `owner` names a worker on this host whose process no longer exists.
    static func isDeadLocalWorker(_ owner: String) -> Bool {
        let parts = owner.split(separator: "/")
        guard parts.count == 3, parts[0] == ProcessInfo.processInfo.hostName, let pid = Int32(parts[1]),
            pid != ProcessInfo.processInfo.processIdentifier
        else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    /// The wait before looking again at an instance that has not converged yet (a product still starting):
    /// short at first, doubling with each pass, at most five seconds.
    public static func retryDelay(afterAttempts attempts: Int) -> TimeInterval {
        min(5, 0.2 * pow(2, Double(min(attempts, 10))))
    }
}

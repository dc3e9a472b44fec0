import Foundation
import WharfCore

#if canImport(Glibc)
import Glibc
#endif

/// The few things the local provider asks the kernel about processes: whether a pid is still the
/// process it started, reaping its exited children, signals, and spawning a product detached in a
/// session of its own (so neither Ctrl-C on `wharf serve` nor its death takes the fleet down).
enum ProcessTable {
    /// The start time of `pid` in clock ticks since boot, or nil when it is gone or a zombie.
    static func startTicks(_ pid: Int32) -> UInt64? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is the state (field 3 of proc(5)); the start time is field 22.
        guard fields.count > 19, fields[0] != "Z", fields[0] != "X" else { return nil }
        return UInt64(fields[19])
    }

    /// Whether `pid` is alive and is the process that started at `ticks`.
    static func isAlive(_ pid: Int32, startedAt ticks: UInt64?) -> Bool {
        guard let current = startTicks(pid) else { return false }
        return ticks == nil || ticks == current
    }

    /// Collects the exit status of a child that has exited, so it does not linger as a zombie.
    static func reap(_ pid: Int32) {
        var status: Int32 = 0
        _ = waitpid(pid, &status, WNOHANG)
    }

    static func signal(_ pid: Int32, _ signal: Int32) { _ = kill(pid, signal) }

    /// Processes (of this user) whose environment has `name=value`.
    static func pids(environment name: String, equal value: String) -> [Int32] {
        let wanted = Array("\(name)=\(value)".utf8)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
            return environ.split(separator: 0).contains { Array($0) == wanted }
        }
    }

    /// Whether `pid` exits within `timeout`. A product adopted after a control-plane restart is not our
    /// child, so there is nothing to block on: its exit is read from `/proc` every 20 ms until the
    /// deadline. A cancelled wait reports the process as still running, so the caller kills it.
    static func waitForExit(_ pid: Int32, startedAt ticks: UInt64?, within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while isAlive(pid, startedAt: ticks) {
            reap(pid)
            guard ContinuousClock.now < deadline else { return false }
            do {
                try await Task.sleep(for: .milliseconds(20))
            } catch {
                return !isAlive(pid, startedAt: ticks)
            }
        }
        return true
    }

    /// Spawns `command` with `environment`, standard output and error appended to `logPath`, in a new
    /// session; returns its pid.
    static func spawn(_ command: [String], environment: [String: String], logPath: String) throws -> Int32 {
        try Spawn.start(command, environment: environment, outputPath: logPath, newSession: true)
    }
}

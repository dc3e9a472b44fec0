import Foundation

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
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of ours may leak into the product: an inherited listening socket would keep the
        // API's and the edge's ports bound after the control plane exits.
        _ = addCloseFrom(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // POSIX_SPAWN_SETSID (glibc ≥ 2.26); Swift's Glibc module does not export it without _GNU_SOURCE.
        posix_spawnattr_setflags(&attributes, Int16(0x80))
        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, command[0], &actions, &attributes, argv, envp)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EINVAL) }
        return pid
    }

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc ≥ 2.34), looked up at run time because Swift's
    /// Glibc module hides it behind _GNU_SOURCE.
    private static let addCloseFrom: @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32 = {
        guard let symbol = dlsym(nil, /* RTLD_DEFAULT on glibc */ "posix_spawn_file_actions_addclosefrom_np") else {
            fatalError("posix_spawn_file_actions_addclosefrom_np is missing; glibc 2.34 or newer is required")
        }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    /// A port that is free now, from the kernel (bind to port 0 on loopback, read it, close).
    static func freePort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, length) } }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        let named = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) } }
        guard named == 0 else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

import Foundation
import WharfCore

/// A Redis server for `wharf msp up`, with a password as Memorystore has AUTH, kept in the service's local
/// state directory so its snapshot lives from one run to the next.
struct LocalRedis {
    let directory: URL
    let port: Int
    /// A fresh password each run: the service reads it from REDIS_AUTH, as it does in the cloud.
    let password: String

    var url: String { "redis://127.0.0.1:\(port)" }
    var pidFile: URL { directory.appending(path: "redis.pid") }

    static func server() throws -> String {
        guard let path = LocalTools.which("redis-server") else {
            throw WharfError(.configuration, "the spec asks for Redis, and redis-server is not installed (not on PATH); install it, e.g. apt-get install redis-server")
        }
        return path
    }

    /// Starts the server and returns once it answers an authenticated PING.
    func start() throws {
        let server = try Self.server()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        stopStray()
        try LocalTools.run([
            server, "--port", "\(port)", "--bind", "127.0.0.1", "--requirepass", password, "--dir", directory.path,
            "--daemonize", "yes", "--pidfile", pidFile.path, "--logfile", directory.appending(path: "redis.log").path, "--save", "60 1",
        ])
        let deadline = Date().addingTimeInterval(10)
        while (try? ping()) != "PONG" {
            guard Date() < deadline else { throw WharfError(.unreachable, "Redis did not answer on \(url) within 10 s; see \(directory.path)/redis.log") }
            usleep(20_000)
        }
    }

    func ping() throws -> String {
        try LocalTools.output(["redis-cli", "-u", url, "--no-auth-warning", "-a", password, "PING"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Saves and stops the server.
    func stop() {
        _ = try? LocalTools.output(["redis-cli", "-u", url, "--no-auth-warning", "-a", password, "SHUTDOWN", "SAVE"])
        stopStray()
    }

    /// A server left running by an `up` that was killed: ended through its pid file.
    private func stopStray() {
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8), let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return }
        if kill(pid, SIGTERM) == 0 {
            let deadline = Date().addingTimeInterval(10)
            while kill(pid, 0) == 0, Date() < deadline { usleep(20_000) }
        }
        try? FileManager.default.removeItem(at: pidFile)
    }
}

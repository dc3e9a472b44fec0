import Foundation
import WharfTesting

/// A `wharf serve` child process on a free loopback port, with its own data directory.
struct ServerProcess {
    let process: Process
    let url: String
    let token: String
    let directory: URL
    /// The edge's port; 0 when the server runs without its reconciler.
    let edgePort: Int
    /// The AI gateway's port.
    let gatewayPort: Int

    /// Starts the server and waits (bounded) until it prints its URL and first admin token.
    static func start(binary: String, databaseURL: String?, environment extra: [String: String] = [:]) async throws -> ServerProcess {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wharf-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let log = directory.appendingPathComponent("serve.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--port", "0", "--data-dir", directory.appendingPathComponent("data").path]
        var environment = ProcessInfo.processInfo.environment
        environment["WHARF_DATABASE_URL"] = databaseURL
        environment["WHARF_LOG_LEVEL"] = "warning"
        environment["WHARF_EDGE_PORT"] = "0"
        environment["WHARF_GATEWAY_PORT"] = "0"
        environment.merge(extra) { $1 }
        // Without the reconciler there is no edge to wait for.
        let reconciles = environment["WHARF_RECONCILE"] != "false"
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = process.standardOutput
        try process.run()
        for _ in 0..<600 {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let url = text.firstMatch(of: /export WHARF_URL=(\S+)/)?.1, let token = text.firstMatch(of: /export WHARF_TOKEN=(\S+)/)?.1,
                let edge = text.firstMatch(of: /The edge serves each instance at \S+:(\d+)/).flatMap({ Int($0.1) }) ?? (reconciles ? nil : 0),
                let gateway = text.firstMatch(of: /The AI gateway listens on http:\/\/[^:]+:(\d+)/).flatMap({ Int($0.1) }) {
                return ServerProcess(process: process, url: String(url), token: String(token), directory: directory, edgePort: edge, gatewayPort: gateway)
            }
            guard process.isRunning else { throw BenchFailure("wharf serve exited early:\n\(text)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw BenchFailure("wharf serve did not print its URL and token within 30 s")
    }

    /// Resident memory of the server, in MiB, from `/proc/<pid>/status`.
    func residentMiB() throws -> Double {
        let status = try String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)
        guard let kib = status.firstMatch(of: /VmRSS:\s+(\d+) kB/).flatMap({ Double($0.1) }) else { throw BenchFailure("no VmRSS in /proc status") }
        return kib / 1024
    }

    /// Stops the server, then the products it started (instances outlive the control plane by design).
    func stop() {
        process.terminate()
        process.waitUntilExit()
        TestFleet.removeFleet(in: directory.appendingPathComponent("data/instances").path)
        try? FileManager.default.removeItem(at: directory)
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import RuntimeSample
import Synchronization
import Testing
import WharfTesting

/// Signal handling needs a process of its own: these tests run the sample service's executable.
@Suite("Graceful shutdown")
struct ShutdownTests {
    /// The sample service's executable, built beside the test bundle.
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("RuntimeSample")
    }

    @Test("SIGTERM stops new connections, lets the request in flight finish, then exits 0")
    func drains() async throws {
        let process = Process()
        process.executableURL = Self.executable
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wharf-shutdown-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let contract = TestRuntime.environment(["LOG_LEVEL": "debug", "LOG_FORMAT": "json", "SQLITE_PATH": directory.appendingPathComponent("s.sqlite").path])
        process.environment = ProcessInfo.processInfo.environment.merging(contract) { $1 }
        let stderr = Pipe()
        process.standardError = stderr
        let output = Mutex("")
        stderr.fileHandleForReading.readabilityHandler = { handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            output.withLock { $0 += text }
        }
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let port = try await Poll.until("the service logs that it listens") { () -> Int? in
            let text = output.withLock { $0 }
            guard let line = text.split(separator: "\n").first(where: { $0.contains(#""message":"listening""#) }),
                let address = line.range(of: #"127\.0\.0\.1:[0-9]+"#, options: .regularExpression)
            else { return nil }
            return Int(line[address].split(separator: ":")[1])
        }
        let service = RunningService(port: port)
        // Long enough to be seen in flight while the whole suite loads the machine (1.5 s was missed once on CI).
        let slow = Task { try await service.request(.GET, "/slow?ms=4000") }
        _ = try await Poll.until("the slow request is in flight") { () -> Bool? in
            let metrics = try? await service.request(.GET, "/metrics").body
            return metrics?.contains("http_server_requests_in_flight 2") == true ? true : nil
        }

        kill(process.processIdentifier, SIGTERM)
        _ = try await Poll.until("new connections are refused") { () -> Bool? in
            (try? await service.request(.GET, "/-/version")) == nil ? true : nil
        }
        let reply = try await slow.value
        #expect(reply.status == 200 && reply.body == "done after 4000 ms")

        let status = try await Poll.until("the process exits") { () -> Int32? in process.isRunning ? nil : process.terminationStatus }
        #expect(status == 0)
        // The order of a graceful shutdown: the server drains, then background routines stop, then the database closes.
        let messages = output.withLock { $0 }.split(separator: "\n").compactMap { line in
            line.range(of: #""message":"[^"]*""#, options: .regularExpression).map { String(line[$0].dropFirst(11).dropLast()) }
        }
        let order = ["heartbeat stopped", "server drained and background routines stopped", "stopped"].map { messages.firstIndex(of: $0) ?? -1 }
        #expect(order.allSatisfy { $0 >= 0 } && order == order.sorted(), "\(messages)")
        #expect(output.withLock { $0 }.contains(#""database":"closed""#))
        // Every request's log line carries its request and trace ids, as JSON.
        let served = try #require(output.withLock { $0 }.split(separator: "\n").first { $0.contains(#""path":"\/slow""#) || $0.contains(#""path":"/slow""#) })
        let fields = try #require(try JSONSerialization.jsonObject(with: Data(served.utf8)) as? [String: Any])
        #expect(fields["message"] as? String == "request served" && fields["status"] as? String == "200")
        #expect((fields["request_id"] as? String)?.count == 16 && (fields["trace_id"] as? String)?.count == 32)
    }
}

@Suite("Start-up from the command line")
struct CommandLineTests {
    func run(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = ShutdownTests.executable
        process.arguments = arguments
        process.environment = environment
        let (output, errors) = (Pipe(), Pipe())
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let complained = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, printed, complained)
    }

    @Test("a bad contract stops start-up with exit 1 and one line naming the variable")
    func badContract() throws {
        let missing = try run([], environment: ["PORT": "0"])
        #expect(missing.status == 1)
        #expect(missing.errors.split(separator: "\n").count == 1 && missing.errors.hasPrefix("sample: DIAGNOSTICS_SECRET must be set"))
        let badPort = try run([], environment: ["PORT": "eighty", "DIAGNOSTICS_SECRET": TestRuntime.diagnosticsSecret])
        #expect(badPort.status == 1 && badPort.errors == "sample: PORT must be a port number from 0 to 65535 (got 'eighty')\n")
    }

    @Test("--help prints the contract and --version the version, without starting")
    func help() throws {
        let help = try run(["--help"], environment: [:])
        #expect(help.status == 0 && help.output.contains("DIAGNOSTICS_SECRET") && help.output.contains("GREETING"))
        let version = try run(["--version"], environment: [:])
        #expect(version.status == 0 && version.output == "1.2.3\n")
    }
}

@Suite("Bounded drain")
struct BoundedDrainTests {
    @Test("a request that outlasts the drain timeout is cut off, and the service still stops")
    func bounded() async throws {
        // Timed from the start of the shutdown, not of the test: start-up under a loaded CI is not the point.
        let (outcome, stopping) = try await TestRuntime.with(SampleService.self, drainTimeout: .milliseconds(300)) { service in
            let slow = Task { try await service.request(.GET, "/slow?ms=20000") }
            _ = try await Poll.until("the slow request is in flight") { () -> Bool? in
                let metrics = try? await service.request(.GET, "/metrics").body
                return metrics?.contains("http_server_requests_in_flight 2") == true ? true : nil
            }
            return (slow, ContinuousClock.now)
        }
        let stopped = ContinuousClock.now
        let reply = try? await outcome.value
        #expect(reply == nil || reply?.status != 200, "the 20 s request did not finish")
        #expect(stopped - stopping < .seconds(10))
    }
}

/// Waits for a condition by asking again until it holds or a deadline passes.
enum Poll {
    static func until<T: Sendable>(_ what: String, within timeout: Duration = .seconds(15), _ probe: () async throws -> T?) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let value = try await probe() { return value }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestSetupError("timed out after \(timeout) waiting until \(what)")
    }
}

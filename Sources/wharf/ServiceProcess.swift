import Dispatch
import Foundation
import WharfCore

/// The service `wharf msp up` runs in the foreground: its output goes to the terminal and to its log file,
/// and Ctrl-C or SIGTERM is passed on to it, so it shuts down the way it would on Cloud Run.
enum ServiceProcess {
    /// Runs `command` to its end and returns its exit status; `started` is told its pid once it runs.
    static func run(_ command: [String], environment: [String: String], logFile: URL, started: (Int32) -> Void) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(filePath: command[0].contains("/") ? command[0] : (LocalTools.which(command[0]) ?? command[0]))
        process.arguments = Array(command.dropFirst())
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, contract in contract }
        guard FileManager.default.createFile(atPath: logFile.path, contents: nil) else {
            throw WharfError(.configuration, "cannot write the log \(logFile.path)")
        }
        let log = try FileHandle(forWritingTo: logFile)
        defer { try? log.close() }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            guard !data.isEmpty else { return }
            FileHandle.standardOutput.write(data)
            log.write(data)
        }
        do {
            try process.run()
        } catch {
            throw WharfError(.configuration, "cannot run \(command[0]): \(error.localizedDescription)")
        }
        let forwards = [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { kill(process.processIdentifier, SIGTERM) }
            source.resume()
            return source
        }
        defer { forwards.forEach { $0.cancel() } }
        started(process.processIdentifier)
        process.waitUntilExit()
        output.fileHandleForReading.readabilityHandler = nil
        let rest = output.fileHandleForReading.readDataToEndOfFile()
        FileHandle.standardOutput.write(rest)
        log.write(rest)
        return process.terminationStatus
    }
}

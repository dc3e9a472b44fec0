import Foundation
import WharfCore

/// Small helpers for running the local tools `wharf msp` drives.
enum LocalTools {
    static func which(_ name: String) -> String? { Executable.find(name) }

    /// A command as one line to paste into a shell: words with other characters than these are quoted.
    static func shellQuoted(_ command: [String]) -> String {
        command.map { $0.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:@,".contains($0) } ? $0 : "'\($0.replacing("'", with: "'\\''"))'" }.joined(separator: " ")
    }

    /// Runs a command to completion; its output goes to the error it throws when it fails.
    static func run(_ command: [String]) throws {
        _ = try output(command)
    }

    /// Runs a command and returns its output. The output goes through a file, not a pipe: a server the
    /// command starts (pg_ctl start) keeps the pipe open, and reading it to the end would never finish.
    static func output(_ command: [String]) throws -> String {
        let capture = URL(filePath: NSTemporaryDirectory()).appending(path: "wharf-tool-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: capture) }
        guard let path = command[0].hasPrefix("/") ? command[0] : which(command[0]) else {
            throw WharfError(.configuration, "\(command[0]) is not installed (not on PATH)")
        }
        let pid = try Spawn.start([path] + command.dropFirst(), environment: ProcessInfo.processInfo.environment, outputPath: capture.path, newSession: false)
        let status = Spawn.wait(pid)
        let text = String(decoding: (try? Data(contentsOf: capture)) ?? Data(), as: UTF8.self)
        guard status == 0 else {
            throw WharfError(.internalError, "\(URL(filePath: command[0]).lastPathComponent) failed (exit \(status)): \(text.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return text
    }
}

import Foundation
import WharfCore

/// Runs the real Terraform in one root module. Everything it prints is appended to a log file, so a failure
/// can quote its last lines and `wharf instance logs` shows what the provider did.
public struct TerraformRunner: Sendable {
    /// The absolute path of the terraform binary.
    public var executable: String
    /// The environment Terraform runs with: credentials, `TF_*` settings.
    public var environment: [String: String]

    public init(executable: String, environment: [String: String]) {
        self.executable = executable
        self.environment = environment
    }

    /// `init` with the backend settings, `plan` to a file, then `apply` of exactly that plan.
    public func apply(in directory: URL, backend: [String: String], log: URL) async throws(TerraformError) {
        try await initialise(directory, backend: backend, log: log)
        try await run(["plan", "-input=false", "-no-color", "-out=wharf.tfplan"], in: directory, log: log)
        try await run(["apply", "-input=false", "-no-color", "wharf.tfplan"], in: directory, log: log)
    }

    /// `init`, then `destroy`: everything the module made goes, as far as its deletion protection allows.
    public func destroy(in directory: URL, backend: [String: String], log: URL) async throws(TerraformError) {
        try await initialise(directory, backend: backend, log: log)
        try await run(["destroy", "-input=false", "-no-color", "-auto-approve"], in: directory, log: log)
    }

    /// The module's outputs after an apply (`terraform output -json`), by name: their values only.
    public func outputs(in directory: URL, log: URL) async throws(TerraformError) -> [String: JSONValue] {
        let capture = directory.appending(path: ".wharf-outputs.json")
        defer { try? FileManager.default.removeItem(at: capture) }
        try? FileManager.default.removeItem(at: capture)
        try await run(["output", "-json", "-no-color"], in: directory, log: capture, quoting: log)
        let data = (try? Data(contentsOf: capture)) ?? Data()
        guard case .object(let outputs)? = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            throw TerraformError(step: "output", status: 0, message: "terraform output -json did not print a JSON object")
        }
        return outputs.compactMapValues { if case .object(let output) = $0 { output["value"] } else { nil } }
    }

    private func initialise(_ directory: URL, backend: [String: String], log: URL) async throws(TerraformError) {
        let settings = backend.sorted { $0.key < $1.key }.map { "-backend-config=\($0.key)=\($0.value)" }
        try await run(["init", "-input=false", "-no-color", "-reconfigure"] + settings, in: directory, log: log)
    }

    /// Runs one command to its end, off the concurrency pool (an apply can take many minutes). With
    /// `quoting`, standard output goes to `log` alone and standard error to `quoting`.
    private func run(_ arguments: [String], in directory: URL, log: URL, quoting: URL? = nil) async throws(TerraformError) {
        append("$ terraform \(arguments.joined(separator: " "))\n", to: quoting ?? log)
        let environment = environment.merging(["TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"]) { _, new in new }
        // -chdir keeps our own working directory: posix_spawn has no portable way to set the child's.
        let command = [executable, "-chdir=\(directory.path)"] + arguments
        let status: Int32
        do {
            status = try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async {
                    do {
                        let pid = try Spawn.start(command, environment: environment, outputPath: log.path, errorPath: quoting?.path, newSession: false)
                        continuation.resume(returning: Spawn.wait(pid))
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
            }
        } catch {
            throw TerraformError(step: arguments[0], status: -1, message: "could not start \(executable): \(error)")
        }
        guard status == 0 else {
            throw TerraformError(step: arguments[0], status: status, message: Self.tail(of: quoting ?? log, lines: 6))
        }
    }

    private func append(_ text: String, to file: URL) {
        if !FileManager.default.fileExists(atPath: file.path) { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }
        guard let handle = try? FileHandle(forWritingTo: file) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: Data(text.utf8))
    }

    /// The last non-empty lines of a log, where Terraform puts the reason it stopped.
    static func tail(of file: URL, lines count: Int) -> String {
        let text = String(decoding: (try? Data(contentsOf: file)) ?? Data(), as: UTF8.self)
        return text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("$ terraform") }
            .suffix(count).joined(separator: " / ")
    }
}

import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What the local provider remembers of an instance's process, in `state.json` beside its data, so a
/// restarted control plane finds (adopts) the processes that are still running instead of starting
/// new ones.
struct LocalProcessState: Codable, Sendable, Equatable {
    var pid: Int32?
    /// The process's start time in clock ticks since boot (`/proc/<pid>/stat`), so a recycled pid is
    /// never mistaken for the product.
    var processStartTicks: UInt64?
    var port: Int?
    var startedAt: Date?
    var launch: LaunchSpec?
    /// Guards the product's `/-/healthz`; the file is readable by its owner only.
    var diagnosticsSecret: String
    /// Set when the provider stopped the process on purpose; a process that is gone without it crashed.
    var stoppedAt: Date?
    var crashes: [Date] = []
    /// Crashes the control plane has not yet written to the instance's history.
    var unreportedCrashes: [Date]?

    static func load(_ url: URL) -> LocalProcessState? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(LocalProcessState.self, from: data)
    }

    func save(_ url: URL) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let temporary = url.appendingPathExtension("tmp")
        try encoder.encode(self).write(to: temporary, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: temporary.path)
        guard rename(temporary.path, url.path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }
}

import Foundation
import WharfProviders

#if canImport(Glibc)
import Glibc
#endif

/// A local provider on a fresh directory running the real demo product (the `wharf` binary built beside
/// the test bundle); afterwards every product it started is killed and the directory removed.
public enum TestFleet {
    /// `wharf demo-product`, from the build directory the tests run in.
    public static var demoProduct: [String] {
        [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("wharf").path, "demo-product"]
    }

    public static func with<T: Sendable>(
        command: [String] = demoProduct, clock: @escaping @Sendable () -> Date = Date.init,
        configure: (inout LocalProviderConfiguration) -> Void = { _ in }, _ body: (LocalProvider, String) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wharf-local-\(UUID().uuidString)").path
        defer { removeFleet(in: directory) }
        var configuration = LocalProviderConfiguration(directory: directory, command: command)
        configure(&configuration)
        return try await body(LocalProvider(configuration, clock: clock), directory)
    }

    /// Kills every product recorded under `directory` and removes it.
    public static func removeFleet(in directory: String) {
        for slug in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            if let data = FileManager.default.contents(atPath: "\(directory)/\(slug)/state.json"),
                let pid = (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["pid"] as? Int {
                kill(Int32(pid), SIGKILL)
            }
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

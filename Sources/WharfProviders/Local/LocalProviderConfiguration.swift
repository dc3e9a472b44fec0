import Foundation

/// How the local provider runs instances: where their directories live, which command is the product,
/// and how it treats crashes.
public struct LocalProviderConfiguration: Sendable {
    /// One directory per instance: `<directory>/<slug>/` with `data/`, `logs/` and `state.json`.
    public var directory: String
    /// The product: any command that speaks the runtime's environment contract. By default the demo
    /// product inside the running `wharf` binary.
    public var command: [String]
    /// Given to products as `WHARF`, so they can redeem password reset links.
    public var wharfURL: String?
    /// Crashes within this window count towards backoff and the crash loop.
    public var crashWindow: TimeInterval = 600
    /// This many crashes in the window is a crash loop: reported unhealthy.
    public var crashLoopThreshold = 5
    /// The longest a product gets to drain after SIGTERM before SIGKILL.
    public var stopTimeout: Duration = .seconds(15)
    /// A product log is rotated when it is larger than this, at start and while it runs; `keptLogs` old
    /// ones are kept.
    public var rotateLogBytes = 10 * 1024 * 1024
    public var keptLogs = 3

    public init(directory: String, command: [String] = LocalProviderConfiguration.demoProduct, wharfURL: String? = nil) {
        self.directory = directory
        self.command = command
        self.wharfURL = wharfURL
    }

    /// `wharf demo-product`, with the path of the running executable.
    public static var demoProduct: [String] {
        [(try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0], "demo-product"]
    }

    /// The wait before restarting after the `crashes`-th recent crash: 1 s doubling, at most a minute.
    public static func backoff(afterCrashes crashes: Int) -> TimeInterval {
        crashes == 0 ? 0 : min(60, pow(2, Double(crashes - 1)))
    }
}

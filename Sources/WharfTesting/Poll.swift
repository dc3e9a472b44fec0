/// Waits for a condition in the world outside the test (a real process starting, a socket answering) by
/// asking again until it holds or a deadline passes. Logic that depends on time takes a `TestClock`
/// instead.
public enum Poll {
    public static func until<T: Sendable>(
        _ what: String, within timeout: Duration = .seconds(20), _ probe: () async throws -> T?
    ) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let value = try await probe() { return value }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw TestSetupError("timed out after \(timeout) waiting until \(what)")
    }
}

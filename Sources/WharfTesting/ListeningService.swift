import Logging
import ServiceLifecycle

/// Runs services, the last of which reports the port it listens on into `port`, inside a service group of its own,
/// hands the port to `body`, then ends it the way SIGTERM does: with a graceful shutdown, not a
/// cancellation.
public enum ListeningService {
    public static func run<T: Sendable>(
        _ name: String, _ services: any Service..., ports: AsyncStream<Int>, port: AsyncStream<Int>.Continuation, _ body: (Int) async throws -> T
    ) async throws -> T {
        let runner = ServiceGroup(services: services, logger: Logger(label: "wharf.test.\(name)"))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { port.finish() }
                try await runner.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard let bound = await iterator.next() else {
                try await group.next()
                throw TestSetupError("\(name) stopped before it listened")
            }
            do {
                let result = try await body(bound)
                await runner.triggerGracefulShutdown()
                try await group.waitForAll()
                return result
            } catch {
                await runner.triggerGracefulShutdown()
                try? await group.waitForAll()
                throw error
            }
        }
    }
}

/// A closure run as a `Service`.
struct ServiceRunner: Service {
    let body: @Sendable () async throws -> Void

    init(_ body: @escaping @Sendable () async throws -> Void) { self.body = body }

    func run() async throws { try await body() }
}

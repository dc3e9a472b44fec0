import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A real HTTP endpoint on loopback that records what webhooks post to it. It answers 500 to the first
/// `failFirst` posts, so tests can watch retries.
public final class WebhookReceiver: Sendable {
    private let bodies = Mutex<[Data]>([])
    private let failuresLeft: Mutex<Int>

    public var received: [Data] { bodies.withLock { $0 } }

    init(failFirst: Int) { failuresLeft = Mutex(failFirst) }

    /// Runs a receiver for the duration of `body`, which gets it and its URL.
    public static func with<T: Sendable>(failFirst: Int = 0, _ body: @Sendable (WebhookReceiver, String) async throws -> T) async throws -> T {
        let receiver = WebhookReceiver(failFirst: failFirst)
        let router = Router()
        router.post("hook") { request, _ -> HTTPResponse.Status in
            let buffer = try await request.body.collect(upTo: 1 << 20)
            receiver.bodies.withLock { $0.append(Data(buffer.readableBytesView)) }
            return receiver.failuresLeft.withLock { left in
                guard left > 0 else { return .ok }
                left -= 1
                return .internalServerError
            }
        }
        let (ports, port) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in port.yield(channel.localAddress?.port ?? 0) },
            logger: {
                var logger = Logger(label: "wharf.test.webhook-receiver")
                logger.logLevel = .critical
                return logger
            }()
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            guard let bound = await iterator.next() else { throw TestSetupError("the webhook receiver did not start") }
            return try await body(receiver, "http://127.0.0.1:\(bound)/hook")
        }
    }
}

import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A real HTTP endpoint on loopback that records what is posted to it: webhooks, or OTLP/HTTP exports
/// (`/v1/traces`) standing in for an OpenTelemetry collector. It answers 500 to the first `failFirst`
/// posts, so tests can watch retries.
public final class HTTPReceiver: Sendable {
    private let bodies = Mutex<[Data]>([])
    private let types = Mutex<[String]>([])
    private let failuresLeft: Mutex<Int>

    public var received: [Data] { bodies.withLock { $0 } }
    /// The `Content-Type` of each post, in order.
    public var contentTypes: [String] { types.withLock { $0 } }

    init(failFirst: Int) { failuresLeft = Mutex(failFirst) }

    /// Runs a receiver for the duration of `body`, which gets it and the URL of `path`.
    public static func with<T: Sendable>(
        path: String = "hook", failFirst: Int = 0, _ body: @Sendable (HTTPReceiver, String) async throws -> T
    ) async throws -> T {
        let receiver = HTTPReceiver(failFirst: failFirst)
        let router = Router()
        router.post(RouterPath(path)) { request, _ -> Response in
            let buffer = try await request.body.collect(upTo: 1 << 20)
            let contentType = request.headers[.contentType] ?? ""
            receiver.bodies.withLock { $0.append(Data(buffer.readableBytesView)) }
            receiver.types.withLock { $0.append(contentType) }
            let failing = receiver.failuresLeft.withLock { left in
                guard left > 0 else { return false }
                left -= 1
                return true
            }
            // An empty body of the request's type: for OTLP/HTTP that is an empty export response, as a collector sends.
            return Response(status: failing ? .internalServerError : .ok, headers: [.contentType: contentType.isEmpty ? "text/plain" : contentType])
        }
        let (ports, port) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in port.yield(channel.localAddress?.port ?? 0) },
            logger: {
                var logger = Logger(label: "wharf.test.http-receiver")
                logger.logLevel = .critical
                return logger
            }()
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            guard let bound = await iterator.next() else { throw TestSetupError("the receiver did not start") }
            return try await body(receiver, "http://127.0.0.1:\(bound)/\(path)")
        }
    }
}

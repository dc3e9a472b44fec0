import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import WharfCore
import WharfRuntime
import WharfStore

/// The gateway's book-keeping, as one `Service` per replica. Reservations go to the database on the
/// request path, since they decide admission; settlements and usage events are queued and written in
/// batches off it. Run the ledger before the HTTP server in a service group: the server drains first, then
/// the ledger writes what is queued, so no completed request's usage is lost on a graceful shutdown.
/// While requests run, the ledger renews this replica's concurrency leases; a replica that dies stops
/// renewing, and its slots come free when the leases expire.
public final class GatewayLedger: Service, Sendable {
    let store: Store
    /// This process's name on its leases.
    let replica: String
    let leaseDuration: TimeInterval
    let clock: @Sendable () -> Date
    let logger: Logger
    private let pending = Mutex<[GatewaySettlement]>([])
    /// One writer at a time, so a flush returns only once what was queued before it is written.
    private let writing = AsyncLock()
    private let signal: (stream: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation)
    static let batchSize = 500

    public init(store: Store, leaseDuration: TimeInterval, clock: @escaping @Sendable () -> Date = Date.init, logger: Logger) {
        self.store = store
        self.replica = "replica-\(UUID().uuidString.prefix(8).lowercased())"
        self.leaseDuration = leaseDuration
        self.clock = clock
        self.logger = logger
        signal = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Counts a request against `limits`, or throws `GatewayQuotaExceeded`.
    func reserve(slug: String, feature: GatewayFeature, limits: FeatureLimits, estimatedTokens: Int) async throws -> GatewayReservation {
        let now = clock()
        return try await store.reserveGatewayQuota(
            slug: slug, feature: feature, limits: limits, estimatedTokens: estimatedTokens, replica: replica,
            leaseUntil: now.addingTimeInterval(leaseDuration), now: now
        )
    }

    /// Queues a settlement; it never waits, so the request that settles is not held up.
    func settle(_ settlement: GatewaySettlement) {
        pending.withLock { $0.append(settlement) }
        signal.continuation.yield()
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.renewLeases() }
                for await _ in signal.stream {
                    await flush()
                }
                await flush()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.signal.continuation.finish()
        }
    }

    /// Writes everything queued now, in batches; a batch that fails is retried, since it is the record
    /// of what was used.
    public func flush() async {
        await writing.withLock { await self.writeQueued() }
    }

    private func writeQueued() async {
        while true {
            let batch = pending.withLock { pending in
                let batch = Array(pending.prefix(Self.batchSize))
                pending.removeFirst(batch.count)
                return batch
            }
            guard !batch.isEmpty else { return }
            var attempt = 0
            while true {
                do {
                    try await store.settleGateway(batch)
                    break
                } catch {
                    attempt += 1
                    logger.error("gateway settlements not written; retrying", metadata: ["count": "\(batch.count)", "attempt": "\(attempt)", "error": "\(error)"])
                    if attempt >= 10 {
                        logger.critical("gateway settlements dropped after 10 attempts", metadata: ["count": "\(batch.count)"])
                        break
                    }
                    try? await Task.sleep(for: .milliseconds(100 * (1 << min(attempt, 6))))
                }
            }
        }
    }

    /// Renews this replica's leases every third of their duration, and now and then forgets windows long
    /// over, until cancelled.
    private func renewLeases() async {
        var rounds = 0
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: .seconds(leaseDuration / 3))
                try await store.renewGatewayLeases(replica: replica, until: clock().addingTimeInterval(leaseDuration))
                rounds += 1
                if rounds % 30 == 1 { try await store.pruneGatewayCounters(now: clock()) }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("gateway leases not renewed", metadata: ["error": "\(error)"])
            }
        }
    }
}

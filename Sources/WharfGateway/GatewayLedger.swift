import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import Synchronization
import WharfCore
import WharfRuntime
import WharfStore

/// The gateway's book-keeping, as one `Service` per replica. Requests are admitted from blocks of the
/// limits this replica holds (`QuotaBooks`), so most never wait for the database; what was admitted, the
/// blocks given back and the calls that ended are queued and written in batches off the request path.
///
/// Run the ledger before the HTTP server in a service group: the server drains first, then the ledger
/// writes what is queued and gives back what it holds, so no completed request's usage is lost on a
/// graceful shutdown. While it runs, the ledger renews this replica's leases and spares (a replica that
/// dies stops renewing, and what it held comes free when they expire) and gives back blocks and slots
/// idle for `spareIdle`.
public final class GatewayLedger: Service, Sendable {
    let store: Store
    /// This process's name on its leases and spares.
    let replica: String
    let leaseDuration: TimeInterval
    let clock: @Sendable () -> Date
    let logger: Logger
    let metrics: GatewayMetrics
    let books = QuotaBooks()
    private let generations = Atomic<Int64>(0)
    private let pending = Mutex(GatewayLedgerBatch(replica: ""))
    /// One writer at a time, so a flush returns only once what was queued before it is written.
    private let writing = AsyncLock()
    private let signal: (stream: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation)
    static let batchSize = 500
    /// The least time between two writes: under load each write carries many calls in one transaction,
    /// which costs the database far less per call than a transaction for every few.
    static let writeInterval: Duration = .milliseconds(25)
    /// How long a block or slot may sit unused before it goes back for other replicas.
    static let spareIdle: TimeInterval = 0.2

    init(store: Store, leaseDuration: TimeInterval, clock: @escaping @Sendable () -> Date = Date.init, metrics: GatewayMetrics, logger: Logger) {
        self.store = store
        self.replica = "replica-\(UUID().uuidString.prefix(8).lowercased())"
        self.leaseDuration = leaseDuration
        self.clock = clock
        self.logger = logger
        self.metrics = metrics
        signal = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// A new block's generation: later blocks have larger ones.
    func nextGeneration() -> Int64 {
        generations.add(1, ordering: .relaxed).newValue
    }

    /// Queues a request admitted from a block, so its spare shrinks in the database too.
    func admitted(_ reservation: GatewayReservation) {
        guard !reservation.windows.isEmpty else { return }
        enqueue { $0.admitted.append(reservation) }
    }

    /// Queues a settlement, and frees its slot at once; it never waits, so the request that settles is
    /// not held up.
    func settle(_ settlement: GatewaySettlement) {
        if let reservation = settlement.reservation, let slot = reservation.slot {
            books.with(QuotaBooks.Key(slug: reservation.slug, feature: reservation.feature)) { $0.release(slot: slot) }
        }
        enqueue { $0.settlements.append(settlement) }
    }

    private func enqueue(_ change: (inout GatewayLedgerBatch) -> Void) {
        pending.withLock { change(&$0) }
        signal.continuation.yield()
    }

    /// How much waits for the next write, for the metrics.
    private func gaugeQueue() {
        let queued = pending.withLock { $0.admitted.count + $0.settlements.count + $0.returned.count }
        metrics.ledgerQueued.set(to: Double(queued))
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.renewLeases() }
                group.addTask { await self.giveBackIdle() }
                for await _ in signal.stream {
                    await writeQueued()
                    try? await Task.sleep(for: Self.writeInterval)
                }
                await flush()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.signal.continuation.finish()
        }
    }

    /// Gives back every block and idle slot, and writes everything queued, in batches.
    public func flush() async {
        let returned = books.giveBack(usedBefore: nil)
        if !returned.isEmpty { pending.withLock { $0.returned += returned } }
        await writeQueued()
    }

    /// Writes what is queued; a batch that fails is retried, since it is the record of what was used.
    func writeQueued() async {
        await writing.withLock {
            while true {
                let batch = pending.withLock { pending in
                    var batch = GatewayLedgerBatch(replica: replica)
                    batch.returned = pending.returned
                    pending.returned = []
                    batch.admitted = Array(pending.admitted.prefix(Self.batchSize))
                    pending.admitted.removeFirst(batch.admitted.count)
                    batch.settlements = Array(pending.settlements.prefix(Self.batchSize))
                    pending.settlements.removeFirst(batch.settlements.count)
                    return batch
                }
                gaugeQueue()
                guard !batch.isEmpty else { return }
                await write(batch)
            }
        }
    }

    private func write(_ batch: GatewayLedgerBatch) async {
        var attempt = 0
        while true {
            do {
                return try await store.recordGatewayBatch(batch)
            } catch {
                attempt += 1
                metrics.ledgerWriteFailures.increment()
                let count = "\(batch.settlements.count) settlements, \(batch.admitted.count) admissions, \(batch.returned.count) returns"
                logger.error("gateway ledger not written; retrying", metadata: ["count": "\(count)", "attempt": "\(attempt)", "error": "\(error)"])
                if attempt >= 10 {
                    logger.critical("gateway ledger batch dropped after 10 attempts", metadata: ["count": "\(count)"])
                    return
                }
                try? await Task.sleep(for: .milliseconds(100 * (1 << min(attempt, 6))))
            }
        }
    }

    /// Gives back, a few times a second, what has sat unused for `spareIdle`, so other replicas can use it.
    private func giveBackIdle() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: .seconds(Self.spareIdle / 2))
            } catch {
                return
            }
            let returned = books.giveBack(usedBefore: clock().addingTimeInterval(-Self.spareIdle))
            if !returned.isEmpty { enqueue { $0.returned += returned } }
        }
    }

    /// Renews this replica's leases and spares every third of their duration, and now and then forgets
    /// windows long over, until cancelled.
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

import Foundation
import Logging
import ServiceLifecycle
import WharfCore
import WharfProviders
import WharfStore

/// The level-triggered loop that makes the world match the registry (SPEC §2).
///
/// Each instance has one durable job in the store. A change to the instance makes it due; so does a
/// provider noticing a crash; a converged instance is looked at again every `resync` anyway. Workers
/// lease jobs, so two control planes on one PostgreSQL never act on one instance at once, and the job
/// of a worker that died is taken over when its lease ends. Each pass observes the instance, applies the
/// planned actions, moves the registry on (`RegistryProgress`), and completes or fails the requests
/// waiting on it.
public struct Reconciler: Service {
    let store: Store
    let provider: any Provider
    let ingress: (any Ingress)?
    let configuration: ReconcilerConfiguration
    let clock: @Sendable () -> Date
    /// Returns once the store's schema is migrated.
    let ready: @Sendable () async -> Void
    let logger: Logger

    public init(
        store: Store, provider: any Provider, ingress: (any Ingress)? = nil, configuration: ReconcilerConfiguration = ReconcilerConfiguration(),
        clock: @escaping @Sendable () -> Date = Date.init, ready: @escaping @Sendable () async -> Void = {}, logger: Logger
    ) {
        self.store = store
        self.provider = provider
        self.ingress = ingress
        self.configuration = configuration
        self.clock = clock
        self.ready = ready
        self.logger = logger
    }

    public func run() async throws {
        await ready()
        // A fresh start looks at every instance at once: it adopts what still runs and heals what does not.
        try? await store.markAllReconcileDue()
        await releaseLeasesOfDeadLocalWorkers()
        await publishAll()
        let held = HeldJobs()
        // Shutdown cancels the loop; a pass cut short leaves its job leased, and it is taken over when the lease ends.
        try? await cancelWhenGracefulShutdown {
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { try await renewLeases(held) }
                while !Task.isCancelled {
                    await noteProviderChanges()
                    let free = configuration.concurrency - held.count
                    let leases = free > 0 ? ((try? await claim(limit: free)) ?? []) : []
                    for lease in leases where held.take(lease.slug) {
                        group.addTask {
                            await process(lease)
                            held.release(lease.slug)
                        }
                    }
                    try await Task.sleep(for: configuration.tick)
                }
            }
        }
    }

    /// Tells the ingress about every instance before the first pass, so a restarted control plane's edge
    /// routes the whole fleet at once rather than instance by instance as jobs come due.
    func publishAll() async {
        guard let ingress, let instances = try? await store.allInstances() else { return }
        await withDiscardingTaskGroup { group in
            for batch in stride(from: 0, to: instances.count, by: configuration.concurrency).map({ instances[$0..<min($0 + configuration.concurrency, instances.count)] }) {
                group.addTask {
                    for instance in batch where instance.state != .deleted {
                        _ = await ingress.publish(instance, seen: await provider.observe(instance.slug))
                    }
                }
            }
        }
    }

    /// A control plane killed on this machine leaves its leases behind; rather than wait for them to run
    /// out, a new one releases the leases of workers on this host whose process is gone.
    func releaseLeasesOfDeadLocalWorkers() async {
        guard let owners = try? await store.reconcileLeaseOwners() else { return }
        for owner in owners where ReconcilerConfiguration.isDeadLocalWorker(owner) {
            logger.notice("releasing the reconcile leases of a control plane that died", metadata: ["worker": "\(owner)"])
            try? await store.releaseReconcileLeases(owner: owner)
        }
    }

    /// Claims the due jobs and works through them; returns how many there were. Tests drive the
    /// reconciler with this instead of the loop.
    @discardableResult
    public func runOnce() async throws -> Int {
        await noteProviderChanges()
        let leases = try await claim(limit: configuration.concurrency)
        await withDiscardingTaskGroup { group in
            for lease in leases { group.addTask { await process(lease) } }
        }
        return leases.count
    }

    func claim(limit: Int) async throws -> [ReconcileLease] {
        try await store.claimReconcileJobs(owner: configuration.workerID, limit: limit, lease: configuration.lease)
    }

    /// Makes the instances whose processes stopped on their own due now.
    func noteProviderChanges() async {
        let changed = await provider.changedInstances()
        guard !changed.isEmpty else { return }
        do {
            try await store.markReconcileDue(slugs: changed)
        } catch {
            logger.warning("could not queue instances whose processes stopped", metadata: ["instances": "\(changed)", "error": "\(error)"])
        }
    }

    func renewLeases(_ held: HeldJobs) async throws {
        while !Task.isCancelled {
            try await Task.sleep(for: .seconds(configuration.lease / 3))
            let slugs = held.all
            do {
                try await store.renewReconcileLeases(owner: configuration.workerID, slugs: slugs, lease: configuration.lease)
            } catch {
                logger.warning("could not renew reconcile leases", metadata: ["error": "\(error)"])
            }
        }
    }

    /// One job: reconcile the instance and release the job with when to look again.
    func process(_ lease: ReconcileLease) async {
        let next: ReconcileNext
        do {
            next = try await reconcile(lease.slug, attempts: lease.attempts)
        } catch {
            logger.warning("reconciling an instance failed; it will be retried", metadata: ["instance": "\(lease.slug)", "error": "\(error)"])
            let attempts = lease.attempts + 1
            next = .due(clock().addingTimeInterval(ReconcilerConfiguration.retryDelay(afterAttempts: attempts)), attempts: attempts, error: "\(error)")
        }
        do {
            try await store.finishReconcileJob(lease, owner: configuration.workerID, next: next)
        } catch {
            logger.warning("could not release a reconcile job; it is taken over when its lease ends", metadata: ["instance": "\(lease.slug)", "error": "\(error)"])
        }
    }
}

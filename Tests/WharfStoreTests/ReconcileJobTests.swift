import Foundation
import Testing
import WharfCore
import WharfRuntime
import WharfStore
import WharfTesting

/// The reconciler's durable jobs: one per instance, leased to one worker at a time, taken over when a
/// worker dies, and never losing a change made while a worker holds the job.
@Suite("Reconcile jobs")
struct ReconcileJobTests {
    static func fleet(_ store: Store, _ slugs: [String]) async throws {
        _ = try await store.createCustomer(Fixtures.customer(), actor: Fixtures.operatorActor)
        for slug in slugs { _ = try await store.createInstance(Fixtures.instance(slug), actor: Fixtures.operatorActor) }
    }

    @Test("a new instance's job is due; a leased job is skipped until its lease ends, then taken over", arguments: TestStore.engines)
    func leases(engine: EngineKind) async throws {
        let clock = TestClock()
        try await TestStore.with(engine, clock: clock) { store in
            try await Self.fleet(store, ["acme-one"])
            let first = try await store.claimReconcileJobs(owner: "a", limit: 10, lease: 15)
            #expect(first.map(\.slug) == ["acme-one"])
            #expect(try await store.claimReconcileJobs(owner: "b", limit: 10, lease: 15).isEmpty)
            clock.advance(by: 10)
            try await store.renewReconcileLeases(owner: "a", slugs: ["acme-one"], lease: 15)
            clock.advance(by: 10)
            #expect(try await store.claimReconcileJobs(owner: "b", limit: 10, lease: 15).isEmpty)
            clock.advance(by: 6)
            let takenOver = try await store.claimReconcileJobs(owner: "b", limit: 10, lease: 15)
            #expect(takenOver.map(\.slug) == ["acme-one"])
            // The worker that lost its lease releases nothing.
            try await store.finishReconcileJob(first[0], owner: "a", next: .due(clock.now().addingTimeInterval(-1), attempts: 0, error: nil))
            #expect(try await store.claimReconcileJobs(owner: "c", limit: 10, lease: 15).isEmpty)
            try await store.finishReconcileJob(takenOver[0], owner: "b", next: .due(clock.now().addingTimeInterval(30), attempts: 0, error: nil))
            #expect(try await store.claimReconcileJobs(owner: "c", limit: 10, lease: 15).isEmpty)
            clock.advance(by: 30)
            #expect(try await store.claimReconcileJobs(owner: "c", limit: 10, lease: 15).map(\.slug) == ["acme-one"])
        }
    }

    @Test("a change while a worker holds the job keeps it due; a finished job is dropped", arguments: TestStore.engines)
    func changesAreNotLost(engine: EngineKind) async throws {
        let clock = TestClock()
        try await TestStore.with(engine, clock: clock) { store in
            try await Self.fleet(store, ["acme-one", "acme-two"])
            let held = try await store.claimReconcileJobs(owner: "a", limit: 10, lease: 15)
            #expect(held.map(\.slug).sorted() == ["acme-one", "acme-two"])
            _ = try await store.updateInstance(slug: "acme-one", InstancePatch(executors: 2), actor: Fixtures.operatorActor)
            for lease in held {
                try await store.finishReconcileJob(lease, owner: "a", next: .due(clock.now().addingTimeInterval(30), attempts: 0, error: nil))
            }
            #expect(try await store.claimReconcileJobs(owner: "a", limit: 10, lease: 15).map(\.slug) == ["acme-one"])

            clock.advance(by: 60)
            let again = try await store.claimReconcileJobs(owner: "b", limit: 10, lease: 15)
            let two = try #require(again.first { $0.slug == "acme-two" })
            try await store.finishReconcileJob(two, owner: "b", next: .finished)
            clock.advance(by: 60)
            try await store.markReconcileDue(slugs: ["acme-two", "no-such-instance"])
            // acme-one's lease has run out; acme-two's dropped job came back because the instance still exists.
            #expect(try await store.claimReconcileJobs(owner: "b", limit: 10, lease: 15).map(\.slug) == ["acme-one", "acme-two"])
        }
    }

    @Test("workers claiming at once never share a job", arguments: TestStore.engines)
    func concurrentClaims(engine: EngineKind) async throws {
        try await TestStore.with(engine) { store in
            let slugs = (1...40).map { "acme-\($0)" }
            try await Self.fleet(store, slugs)
            let claims = try await withThrowingTaskGroup(of: [String].self) { group in
                for worker in 1...8 {
                    group.addTask { try await store.claimReconcileJobs(owner: "w\(worker)", limit: 7, lease: 15).map(\.slug) }
                }
                return try await group.reduce(into: [String]()) { $0 += $1 }
            }
            #expect(claims.count == Set(claims).count)
            #expect(claims.count == 40)
        }
    }

    @Test("the leases of a dead worker are released at once and its jobs are due", arguments: TestStore.engines)
    func releaseDeadWorker(engine: EngineKind) async throws {
        try await TestStore.with(engine) { store in
            try await Self.fleet(store, ["acme-one", "acme-two"])
            _ = try await store.claimReconcileJobs(owner: "dead", limit: 1, lease: 15)
            _ = try await store.claimReconcileJobs(owner: "alive", limit: 1, lease: 15)
            #expect(try await store.reconcileLeaseOwners().sorted() == ["alive", "dead"])
            try await store.releaseReconcileLeases(owner: "dead")
            #expect(try await store.reconcileLeaseOwners() == ["alive"])
            #expect(try await store.claimReconcileJobs(owner: "successor", limit: 10, lease: 15).count == 1)
        }
    }
}

import Foundation
import Testing
import WharfCore
import WharfRuntime
import WharfStore
import WharfTesting

/// The shared counters the gateway replicas take their blocks from.
@Suite("AI gateway quota blocks")
struct GatewayBlockTests {
    static let slug = "acme-prod"
    static let limits = FeatureLimits(requests: WindowLimits(day: 100), tokens: WindowLimits(day: 10_000), concurrency: 10)

    static func ask(
        _ replica: String, generation: Int64, wanted: Int = 4_096, returning: GatewaySpare? = nil, slots: Int? = nil, limits: FeatureLimits = limits, now: Date,
        leaseFor: TimeInterval = 60
    ) -> GatewayBlockRequest {
        let windows = LimitWindow.allCases.filter { limits.requests?[$0] != nil || limits.tokens?[$0] != nil }.map {
            GatewayBlockRequest.Window(kind: $0, startMilliseconds: $0.startMilliseconds(of: now), wantedRequests: wanted, returning: returning)
        }
        return GatewayBlockRequest(
            slug: slug, feature: .chat, limits: limits, estimatedTokens: 10, windows: windows, slots: slots, replica: replica, generation: generation,
            leaseUntil: now.addingTimeInterval(leaseFor), now: now
        )
    }

    static func dayUsed(_ store: Store, now: Date) async throws -> (requests: Int?, tokens: Int?) {
        let standings = try await store.gatewayStandings(slug: slug, limits: GatewayLimits([.chat: limits]), now: now)[.chat] ?? []
        return (standings.first { $0.measure == .requests && $0.window == .day }?.used, standings.first { $0.measure == .tokens && $0.window == .day }?.used)
    }

    @Test("blocks are an eighth of what is left, down to one, and together never pass the limit", arguments: TestStore.engines)
    func blocksShrinkToTheLimit(engine: EngineKind) async throws {
        let clock = TestClock()
        try await TestStore.with(engine, clock: clock) { store in
            var sizes: [Int] = []
            var refusal: GatewayQuotaExceeded?
            for generation in 1...40 {
                do {
                    let grant = try await store.takeGatewayBlocks(Self.ask("replica-\(generation)", generation: Int64(generation), now: clock.now()))
                    sizes.append(grant.windows[0].spare.requests)
                } catch let refused as GatewayQuotaExceeded {
                    refusal = refused
                    break
                }
            }
            #expect(sizes.prefix(3) == [12, 11, 9], "\(sizes)")
            #expect(sizes.suffix(3) == [1, 1, 1], "\(sizes)")
            #expect(sizes.reduce(0, +) == 100)
            // Nothing was used yet: it is all held, and the replicas hold all of it.
            #expect(try await Self.dayUsed(store, now: clock.now()).requests == 0)
            #expect(refusal?.standing.measure == .requests && refusal?.standing.used == 0)
            #expect(refusal?.othersHoldSpare == true)
        }
    }

    @Test("the ledger's batch: admissions turn spare into use, a block given back leaves the counter, a late write about an old block is ignored", arguments: TestStore.engines)
    func ledgerBatches(engine: EngineKind) async throws {
        let clock = TestClock()
        try await TestStore.with(engine, clock: clock) { store in
            let now = clock.now()
            let first = try await store.takeGatewayBlocks(Self.ask("a", generation: 1, slots: 1, now: now))
            let spare = first.windows[0].spare
            #expect(spare.requests == 12 && spare.tokens == 120)
            #expect(first.slots.count == 1)
            let window = GatewayReservation.Window(kind: .day, startMilliseconds: spare.startMilliseconds, generation: 1)
            let admitted = GatewayReservation(slug: Self.slug, feature: .chat, slot: nil, windows: [window], estimatedTokens: 10, standings: [])
            try await store.recordGatewayBatch(GatewayLedgerBatch(replica: "a", admitted: [admitted, admitted]))
            #expect(try await Self.dayUsed(store, now: now) == (2, 20))

            // The next block gives the first back: the two admitted stay used, the rest of it is free again.
            var leftover = spare
            leftover.requests -= 3
            leftover.tokens -= 30
            let second = try await store.takeGatewayBlocks(Self.ask("a", generation: 2, returning: leftover, now: now))
            #expect(second.windows[0].usedRequests == 3 && second.windows[0].usedTokens == 30)
            // The third admission of the first block arrives late: the block is gone, so nothing changes.
            try await store.recordGatewayBatch(GatewayLedgerBatch(replica: "a", admitted: [admitted]))
            #expect(try await Self.dayUsed(store, now: now) == (3, 30))

            // Settled with what the provider reported, then the block and the slot go back.
            let settled = GatewaySettlement(reservation: admitted, tokensUsed: 25, refundRequest: false, event: nil)
            let returned = GatewayLedgerBatch.Returned(slug: Self.slug, feature: .chat, spares: [second.windows[0].spare], slots: first.slots)
            try await store.recordGatewayBatch(GatewayLedgerBatch(replica: "a", returned: [returned], settlements: [settled]))
            #expect(try await Self.dayUsed(store, now: now) == (3, 45))
            let concurrency = try await store.gatewayStandings(slug: Self.slug, limits: GatewayLimits([.chat: Self.limits]), now: now)[.chat]?.first { $0.measure == .concurrency }
            #expect(concurrency?.used == 0)
        }
    }

    @Test("a replica that stops renewing: its spare goes back to the counter when it expires, its slots come free", arguments: TestStore.engines)
    func deadReplicaSpares(engine: EngineKind) async throws {
        let clock = TestClock()
        let limits = FeatureLimits(requests: WindowLimits(day: 8), concurrency: 1)
        try await TestStore.with(engine, clock: clock) { store in
            let dead = try await store.takeGatewayBlocks(Self.ask("dead", generation: 1, slots: 1, limits: limits, now: clock.now()))
            #expect(dead.windows[0].spare.requests == 1 && dead.slots.count == 1)
            var generation: Int64 = 1
            func takeAll() async throws -> Int {
                var taken = 0
                while true {
                    generation += 1
                    do {
                        taken += try await store.takeGatewayBlocks(Self.ask("alive", generation: generation, limits: FeatureLimits(requests: limits.requests), now: clock.now()))
                            .windows[0].spare.requests
                    } catch is GatewayQuotaExceeded {
                        return taken
                    }
                }
            }
            #expect(try await takeAll() == 7)
            await #expect(throws: GatewayQuotaExceeded.self) {
                try await store.takeGatewayBlocks(Self.ask("alive", generation: 100, slots: 1, limits: FeatureLimits(concurrency: 1), now: clock.now()))
            }
            clock.advance(by: 60)
            #expect(try await takeAll() == 1)
            #expect(try await store.takeGatewayBlocks(Self.ask("alive", generation: 101, slots: 1, limits: FeatureLimits(concurrency: 1), now: clock.now())).slots.count == 1)
        }
    }
}

import Foundation
import Testing
import WharfCore
import WharfStore

@testable import WharfGateway

/// One replica's holdings of an instance's limits, and the requests admitted from them in memory.
@Suite("Quota book")
struct QuotaBookTests {
    static let limits = FeatureLimits(requests: WindowLimits(minute: 10), tokens: WindowLimits(minute: 1_000), concurrency: 2)
    static let now = Date(timeIntervalSince1970: 1_800_000_030)

    static func take(_ book: inout QuotaBook, tokens: Int = 100, at now: Date = now) -> GatewayReservation? {
        book.take(slug: "acme", feature: .chat, limits: limits, estimatedTokens: tokens, now: now)
    }

    static func refill(_ book: QuotaBook, tokens: Int = 100, at now: Date = now) -> GatewayBlockRequest {
        book.refill(slug: "acme", feature: .chat, limits: limits, estimatedTokens: tokens, replica: "r", generation: 7, leaseUntil: now + 60, now: now)
    }

    static func grant(requests: Int, tokens: Int, used: Int, slots: [String], at now: Date = now) -> GatewayBlockGrant {
        let spare = GatewaySpare(window: .minute, startMilliseconds: LimitWindow.minute.startMilliseconds(of: now), generation: 7, requests: requests, tokens: tokens)
        return GatewayBlockGrant(windows: [.init(spare: spare, usedRequests: used, usedTokens: used * 100)], slots: slots, slotsElsewhere: 0)
    }

    @Test("admits from its block and slots in memory, counting the standings down, until a refill is needed")
    func admitsFromBlocks() throws {
        var book = QuotaBook()
        #expect(Self.take(&book) == nil)
        let ask = Self.refill(book)
        #expect(ask.windows.map(\.kind) == [.minute] && ask.windows[0].returning == nil && ask.slots == 1)

        book.receive(Self.grant(requests: 3, tokens: 250, used: 3, slots: ["s1", "s2"]), now: Self.now)
        let taken = Self.take(&book)
        let first = try #require(taken)
        #expect(first.slot == "s2" && first.windows == [.init(kind: .minute, startMilliseconds: 1_800_000_000_000, generation: 7)])
        #expect(first.standings.map(\.used) == [1, 4, 400])
        let takenAgain = Self.take(&book, tokens: 50)
        let second = try #require(takenAgain)
        #expect(second.standings.map(\.used) == [2, 5, 450])
        // Two slots busy, one request and 100 tokens left in the block: a third needs a slot.
        #expect(Self.take(&book) == nil)
        book.release(slot: "s2")
        // A request of more tokens than the block has left needs a refill that gives the block back.
        #expect(Self.take(&book, tokens: 200) == nil)
        #expect(Self.refill(book, tokens: 200).windows[0].returning?.tokens == 100)
        #expect(Self.take(&book, tokens: 100)?.slot == "s2")
    }

    @Test("a block of a window that is over is not used: the refill gives it back")
    func newWindow() {
        var book = QuotaBook()
        book.receive(Self.grant(requests: 5, tokens: 500, used: 0, slots: ["s1"]), now: Self.now)
        let later = Self.now + 60
        #expect(Self.take(&book, at: later) == nil)
        let ask = Self.refill(book, at: later)
        #expect(ask.windows[0].startMilliseconds == 1_800_000_060_000)
        #expect(ask.windows[0].returning?.startMilliseconds == 1_800_000_000_000)
        #expect(ask.slots == nil, "the slot is still idle")
    }

    @Test("a refusal is remembered for a moment, for requests at least as large; giving back empties the book but for busy slots")
    func refusalsAndGivingBack() throws {
        var book = QuotaBook()
        let refused = GatewayQuotaExceeded(standing: QuotaStanding(measure: .tokens, window: .minute, limit: 1_000, used: 950, resetsAt: nil), neverFits: false)
        book.remember(refused, estimatedTokens: 100, at: Self.now)
        #expect(book.rememberedRefusal(estimatedTokens: 100, now: Self.now) == refused)
        #expect(book.rememberedRefusal(estimatedTokens: 40, now: Self.now) == nil)
        #expect(book.rememberedRefusal(estimatedTokens: 100, now: Self.now + 1) == nil)

        book.receive(Self.grant(requests: 4, tokens: 400, used: 0, slots: ["s1", "s2"]), now: Self.now)
        #expect(book.rememberedRefusal(estimatedTokens: 100, now: Self.now) == nil, "a refill forgets it")
        #expect(book.lastUsed == Self.now, "fresh blocks are not idle, or the idle sweep could give them back before the request that asked takes from them")
        let taken = Self.take(&book)
        #expect(taken != nil)
        let given = book.giveBack(slug: "acme", feature: .chat)
        let returned = try #require(given)
        #expect(returned.spares.map(\.requests) == [3] && returned.slots == ["s1"])
        let givenAgain = book.giveBack(slug: "acme", feature: .chat)
        #expect(book.busySlots == 1 && givenAgain == nil)
    }

    @Test("a refill in flight takes the blocks it gives back out of use, and a refused one puts them back")
    func detachedWhileRefilling() {
        var book = QuotaBook()
        book.receive(Self.grant(requests: 5, tokens: 150, used: 0, slots: ["s1", "s2", "s3"]), now: Self.now)
        let step = book.step(slug: "acme", feature: .chat, limits: Self.limits, estimatedTokens: 200, replica: "r", generation: 8, leaseUntil: Self.now + 60, now: Self.now)
        guard case .refill(let ask) = step else {
            Issue.record("expected a refill, got \(step)")
            return
        }
        #expect(ask.windows[0].returning?.tokens == 150)
        // A smaller request would fit what is left, but that is on its way back.
        #expect(Self.take(&book, tokens: 100) == nil)
        book.reattach()
        #expect(Self.take(&book, tokens: 100) != nil)
    }
}

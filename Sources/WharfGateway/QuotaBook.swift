import Foundation
import WharfCore
import WharfStore

/// What one replica holds of one instance's limits for one feature: a block of each limited window and
/// some leased concurrency slots. Requests are admitted from it in memory; when it cannot admit one, the
/// replica refills it from the shared counters (`Store.takeGatewayBlocks`). A pure value: `QuotaBooks`
/// keeps one per instance and feature behind a lock.
struct QuotaBook: Sendable {
    struct Block: Sendable {
        /// What is left of the block; it goes below zero on a measure the window does not limit.
        var spare: GatewaySpare
        var granted: (requests: Int, tokens: Int)
        /// What the instance had used, apart from this block, when it was granted.
        var usedElsewhere: (requests: Int, tokens: Int)
    }

    /// The largest block a refill asks for; it doubles while refills come within a second of each other.
    static let largestBlock = 4_096
    static let smallestBlock = 16

    var blocks: [LimitWindow: Block] = [:]
    /// Blocks a refill in flight gives back: no request may take from them meanwhile, since the refill
    /// returns what was left when it asked.
    var detached: [LimitWindow: Block] = [:]
    var idleSlots: [String] = []
    var busySlots = 0
    var slotsElsewhere = 0
    var blockSize = QuotaBook.smallestBlock
    var lastRefill: Date?
    var lastUsed = Date.distantPast
    /// The last refusal, answered again for a moment so a burst over the limit does not refill per request.
    var refusal: (refused: GatewayQuotaExceeded, estimatedTokens: Int, at: Date)?
    static let refusalMemory: TimeInterval = 0.05

    /// Admits a request from what is held, or returns nil when a refill is needed.
    mutating func take(slug: String, feature: GatewayFeature, limits: FeatureLimits, estimatedTokens: Int, now: Date) -> GatewayReservation? {
        guard needs(limits: limits, estimatedTokens: estimatedTokens, now: now).isEmpty, limits.concurrency == nil || !idleSlots.isEmpty else { return nil }
        var reservation = GatewayReservation(slug: slug, feature: feature, slot: nil, windows: [], estimatedTokens: estimatedTokens, standings: [])
        if let limit = limits.concurrency {
            reservation.slot = idleSlots.removeLast()
            busySlots += 1
            reservation.standings.append(QuotaStanding(measure: .concurrency, window: nil, limit: limit, used: slotsElsewhere + busySlots, resetsAt: nil))
        }
        for window in Self.limited(limits) {
            var block = blocks[window]!
            block.spare.requests -= 1
            block.spare.tokens -= estimatedTokens
            blocks[window] = block
            reservation.windows.append(.init(kind: window, startMilliseconds: block.spare.startMilliseconds, generation: block.spare.generation))
            if let limit = limits.requests?[window] {
                let used = block.usedElsewhere.requests + block.granted.requests - block.spare.requests
                reservation.standings.append(QuotaStanding(measure: .requests, window: window, limit: limit, used: used, resetsAt: window.end(of: now)))
            }
            if let limit = limits.tokens?[window] {
                let used = block.usedElsewhere.tokens + block.granted.tokens - block.spare.tokens
                reservation.standings.append(QuotaStanding(measure: .tokens, window: window, limit: limit, used: used, resetsAt: window.end(of: now)))
            }
        }
        lastUsed = now
        return reservation
    }

    /// What a request that found the blocks short does next, now that it holds the refill lock: take from
    /// what an earlier refill brought, take a refusal remembered from one, or refill.
    enum Step {
        case admitted(GatewayReservation)
        case refused(GatewayQuotaExceeded)
        case refill(GatewayBlockRequest)
    }

    mutating func step(
        slug: String, feature: GatewayFeature, limits: FeatureLimits, estimatedTokens: Int, replica: String, generation: Int64, leaseUntil: Date, now: Date
    ) -> Step {
        if let reservation = take(slug: slug, feature: feature, limits: limits, estimatedTokens: estimatedTokens, now: now) { return .admitted(reservation) }
        if let refusal = rememberedRefusal(estimatedTokens: estimatedTokens, now: now) { return .refused(refusal) }
        let ask = refill(slug: slug, feature: feature, limits: limits, estimatedTokens: estimatedTokens, replica: replica, generation: generation, leaseUntil: leaseUntil, now: now)
        for window in ask.windows { detached[window.kind] = blocks.removeValue(forKey: window.kind) }
        return .refill(ask)
    }

    /// A refill was refused, so the database still counts the blocks it would have given back: they are
    /// this replica's again.
    mutating func reattach() {
        blocks.merge(detached) { held, _ in held }
        detached = [:]
    }

    /// The refusal still remembered at `now`, if it applies to a request of `estimatedTokens`: a refusal on
    /// tokens does not answer for a smaller request.
    func rememberedRefusal(estimatedTokens: Int, now: Date) -> GatewayQuotaExceeded? {
        guard let refusal, now >= refusal.at, now.timeIntervalSince(refusal.at) < Self.refusalMemory else { return nil }
        guard refusal.refused.standing.measure != .tokens || estimatedTokens >= refusal.estimatedTokens else { return nil }
        return refusal.refused
    }

    mutating func remember(_ refused: GatewayQuotaExceeded, estimatedTokens: Int, at now: Date) {
        refusal = (refused, estimatedTokens, now)
    }

    /// What to ask the shared counters for so that a request of `estimatedTokens` can be admitted.
    func refill(
        slug: String, feature: GatewayFeature, limits: FeatureLimits, estimatedTokens: Int, replica: String, generation: Int64, leaseUntil: Date, now: Date
    ) -> GatewayBlockRequest {
        let windows = needs(limits: limits, estimatedTokens: estimatedTokens, now: now).map { window in
            GatewayBlockRequest.Window(kind: window, startMilliseconds: window.startMilliseconds(of: now), wantedRequests: blockSize, returning: blocks[window]?.spare)
        }
        let slots = limits.concurrency != nil && idleSlots.isEmpty ? min(max(1, busySlots), Self.largestBlock) : nil
        return GatewayBlockRequest(
            slug: slug, feature: feature, limits: limits, estimatedTokens: estimatedTokens, windows: windows, slots: slots, replica: replica,
            generation: generation, leaseUntil: leaseUntil, now: now
        )
    }

    /// Takes in what a refill got, replacing the blocks it gave back.
    mutating func receive(_ grant: GatewayBlockGrant, now: Date) {
        for window in grant.windows {
            blocks[window.spare.window] = Block(
                spare: window.spare, granted: (window.spare.requests, window.spare.tokens), usedElsewhere: (window.usedRequests, window.usedTokens)
            )
        }
        detached = [:]
        idleSlots += grant.slots
        if !grant.slots.isEmpty { slotsElsewhere = grant.slotsElsewhere }
        if let lastRefill, now.timeIntervalSince(lastRefill) < 1 {
            blockSize = min(blockSize * 2, Self.largestBlock)
        } else if let lastRefill, now.timeIntervalSince(lastRefill) > 10 {
            blockSize = max(blockSize / 2, Self.smallestBlock)
        }
        lastRefill = now
        // Fresh blocks are not idle: the request that asked for them takes from them next.
        lastUsed = now
        refusal = nil
    }

    /// A request ended: its slot is free for the next one.
    mutating func release(slot: String) {
        busySlots -= 1
        idleSlots.append(slot)
        refusal = nil
    }

    /// Gives back every block and idle slot, leaving the book empty but for slots in use.
    mutating func giveBack(slug: String, feature: GatewayFeature) -> GatewayLedgerBatch.Returned? {
        let returned = GatewayLedgerBatch.Returned(slug: slug, feature: feature, spares: blocks.values.map(\.spare), slots: idleSlots)
        blocks = [:]
        idleSlots = []
        return returned.spares.isEmpty && returned.slots.isEmpty ? nil : returned
    }

    /// The limited windows whose block cannot admit the request: none held, one of an earlier window, or
    /// too little left.
    private func needs(limits: FeatureLimits, estimatedTokens: Int, now: Date) -> [LimitWindow] {
        Self.limited(limits).filter { window in
            guard let block = blocks[window], block.spare.startMilliseconds == window.startMilliseconds(of: now) else { return true }
            return (limits.requests?[window] != nil && block.spare.requests < 1) || (limits.tokens?[window] != nil && block.spare.tokens < estimatedTokens)
        }
    }

    private static func limited(_ limits: FeatureLimits) -> [LimitWindow] {
        LimitWindow.allCases.filter { limits.requests?[$0] != nil || limits.tokens?[$0] != nil }
    }
}

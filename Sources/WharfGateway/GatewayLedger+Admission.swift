import Foundation
import WharfCore
import WharfRuntime
import WharfStore

extension GatewayLedger {
    /// How long a request waits, at most, for blocks other replicas hold unused to come back, before it is
    /// refused: they give them back after `spareIdle`.
    static let waitForSpares: Duration = .milliseconds(600)
    static let spareRetry: Duration = .milliseconds(50)

    /// Admits a request from this replica's blocks in memory; nil when they are short and must be refilled
    /// (`reserve`). Throws `GatewayQuotaExceeded` for a request no limit could ever admit.
    func reserveNow(slug: String, feature: GatewayFeature, limits: FeatureLimits, estimatedTokens: Int) throws(GatewayQuotaExceeded) -> GatewayReservation? {
        let now = clock()
        if let refusal = GatewayQuotaExceeded.neverFitting(limits, estimatedTokens: estimatedTokens, now: now) { throw refusal }
        let key = QuotaBooks.Key(slug: slug, feature: feature)
        guard let reservation = books.with(key, { $0.take(slug: slug, feature: feature, limits: limits, estimatedTokens: estimatedTokens, now: now) }) else { return nil }
        admitted(reservation)
        return reservation
    }

    /// Admits a request against `limits`, or throws `GatewayQuotaExceeded`. Most requests are admitted from
    /// this replica's blocks in memory; one that finds them short refills them from the database while the
    /// others wait for it. A request is refused only when the shared counter has no room and no other
    /// replica holds any unused, or they did not give it back in time.
    func reserve(slug: String, feature: GatewayFeature, limits: FeatureLimits, estimatedTokens: Int) async throws -> GatewayReservation {
        if let reservation = try reserveNow(slug: slug, feature: feature, limits: limits, estimatedTokens: estimatedTokens) { return reservation }
        let key = QuotaBooks.Key(slug: slug, feature: feature)
        return try await books.refillLock(key).withLock {
            let waitUntil = ContinuousClock.now + Self.waitForSpares
            var wroteReturns = false
            while true {
                let now = clock()
                let step = books.with(key) { book in
                    book.step(
                        slug: slug, feature: feature, limits: limits, estimatedTokens: estimatedTokens, replica: replica, generation: nextGeneration(),
                        leaseUntil: now.addingTimeInterval(leaseDuration), now: now
                    )
                }
                let ask: GatewayBlockRequest
                switch step {
                case .admitted(let reservation):
                    admitted(reservation)
                    return reservation
                case .refused(let refusal): throw refusal
                case .refill(let request): ask = request
                }
                do {
                    let grant = try await store.takeGatewayBlocks(ask)
                    let reservation = books.with(key) { book in
                        book.receive(grant, now: now)
                        return book.take(slug: slug, feature: feature, limits: limits, estimatedTokens: estimatedTokens, now: now)
                    }
                    if let reservation {
                        admitted(reservation)
                        return reservation
                    }
                } catch {
                    books.with(key) { $0.reattach() }
                    guard let refusal = error as? GatewayQuotaExceeded else { throw error }
                    if !wroteReturns {
                        // What this replica gave back may not be written yet, queued or in a write under way
                        // (`writeQueued` waits for that one): write it, then ask again.
                        wroteReturns = true
                        await writeQueued()
                        continue
                    }
                    if refusal.othersHoldSpare, ContinuousClock.now < waitUntil {
                        try await Task.sleep(for: Self.spareRetry)
                        continue
                    }
                    books.with(key) { $0.remember(refusal, estimatedTokens: estimatedTokens, at: now) }
                    throw refusal
                }
            }
        }
    }
}

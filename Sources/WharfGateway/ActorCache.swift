import Foundation
import Synchronization
import WharfCore
import WharfStore

/// Token hashes to the instances they belong to, each remembered for a short time so a busy instance
/// costs no database read per request, yet a suspension or a revoked access takes effect within the TTL.
/// Unknown tokens are remembered too, so a client retrying a bad token cannot load the database.
final class ActorCache: Sendable {
    private struct Entry {
        var actor: GatewayActor?
        var expires: ContinuousClock.Instant
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let ttl: Duration
    private let load: @Sendable (String) async throws -> GatewayActor?

    init(ttl: Duration, load: @escaping @Sendable (String) async throws -> GatewayActor?) {
        self.ttl = ttl
        self.load = load
    }

    /// What is remembered of a token: nil when it must be read, `.some(nil)` for a token known to be unknown.
    func cached(tokenHash: String) -> GatewayActor?? {
        guard let entry = entries.withLock({ $0[tokenHash] }), entry.expires > ContinuousClock.now else { return nil }
        return .some(entry.actor)
    }

    func actor(tokenHash: String) async throws -> GatewayActor? {
        if let known = cached(tokenHash: tokenHash) { return known }
        let now = ContinuousClock.now
        let actor = try await load(tokenHash)
        entries.withLock { entries in
            // Bounded: a flood of distinct bad tokens resets the cache instead of growing it.
            if entries.count > 100_000 { entries.removeAll() }
            entries[tokenHash] = Entry(actor: actor, expires: now + ttl)
        }
        return actor
    }

    /// Forgets every instance at once, for a change this process made itself.
    func invalidateAll() {
        entries.withLock { $0.removeAll() }
    }
}

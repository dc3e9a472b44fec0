import Foundation
import Synchronization
import WharfCore
import WharfRuntime
import WharfStore

/// This replica's `QuotaBook`s, one per instance and feature, behind one lock; and a refill lock per book,
/// so that one request refills while the others wait for what it brings.
final class QuotaBooks: Sendable {
    struct Key: Hashable, Sendable {
        var slug: String
        var feature: GatewayFeature
    }

    private let books = Mutex<[Key: QuotaBook]>([:])
    private let refills = Mutex<[Key: AsyncLock]>([:])

    /// Runs `body` on the book of `key`, created empty when there is none.
    func with<T>(_ key: Key, _ body: (inout QuotaBook) -> T) -> T {
        books.withLock { books in body(&books[key, default: QuotaBook()]) }
    }

    /// The lock a request holds while it refills `key`'s book.
    func refillLock(_ key: Key) -> AsyncLock {
        refills.withLock { locks in
            if let lock = locks[key] { return lock }
            let lock = AsyncLock()
            locks[key] = lock
            return lock
        }
    }

    /// Gives back the blocks and idle slots of every book last used before `cutoff` (all of them when nil).
    func giveBack(usedBefore cutoff: Date?) -> [GatewayLedgerBatch.Returned] {
        books.withLock { books in
            books.keys.compactMap { key in
                guard cutoff.map({ books[key]!.lastUsed < $0 }) ?? true else { return nil }
                return books[key]!.giveBack(slug: key.slug, feature: key.feature)
            }
        }
    }
}

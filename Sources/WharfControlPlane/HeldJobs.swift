import Synchronization

/// The jobs a reconciler worker holds right now: the loop claims only as many as it has room for, and
/// the lease renewer extends exactly these.
final class HeldJobs: Sendable {
    private let slugs = Mutex<Set<String>>([])

    var count: Int { slugs.withLock { $0.count } }
    var all: [String] { slugs.withLock { Array($0) } }

    /// Takes the job; false when this worker holds it already.
    func take(_ slug: String) -> Bool { slugs.withLock { $0.insert(slug).inserted } }

    func release(_ slug: String) { slugs.withLock { _ = $0.remove(slug) } }
}

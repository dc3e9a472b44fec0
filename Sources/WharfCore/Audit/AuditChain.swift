import Crypto

/// The hash chain over the audit log, kept pure so the store and `wharf audit verify` share one definition.
public enum AuditChain {
    /// The `prevHash` of the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// SHA-256 over the entry's members, each length-prefixed so no two entries serialise alike.
    public static func hash(seq: Int64, atMillis: Int64, actor: String, action: String, target: String, detail: String, prevHash: String) -> String {
        var hasher = SHA256()
        for field in ["\(seq)", "\(atMillis)", actor, action, target, detail, prevHash] {
            let bytes = Array(field.utf8)
            hasher.update(data: Array("\(bytes.count):".utf8))
            hasher.update(data: bytes)
        }
        return Hex.encode(hasher.finalize())
    }

    /// Builds the next entry after `previous` (nil for the first).
    public static func entry(after previous: (seq: Int64, hash: String), atMillis: Int64, actor: String, action: String, target: String, detail: String) -> AuditEntry {
        let seq = previous.seq + 1
        let hash = hash(seq: seq, atMillis: atMillis, actor: actor, action: action, target: target, detail: detail, prevHash: previous.hash)
        return AuditEntry(seq: seq, atMillis: atMillis, actor: actor, action: action, target: target, detail: detail, prevHash: previous.hash, hash: hash)
    }

    /// Checks entries in order, carrying state between batches so a long log is verified page by page.
    public struct Verifier: Sendable {
        public private(set) var last: (seq: Int64, hash: String) = (0, AuditChain.genesis)
        public private(set) var checked = 0
        public private(set) var failure: AuditVerification.Failure?

        public init() {}

        /// Feeds the next entry; returns false once the chain is broken (the first failure is kept).
        @discardableResult
        public mutating func feed(_ entry: AuditEntry) -> Bool {
            guard failure == nil else { return false }
            if entry.seq != last.seq + 1 {
                failure = .init(seq: last.seq + 1, problem: "entry \(last.seq + 1) is missing (next present entry is \(entry.seq))")
            } else if entry.prevHash != last.hash {
                failure = .init(seq: entry.seq, problem: "entry \(entry.seq) does not link to entry \(last.seq): its previous hash differs")
            } else if entry.hash != AuditChain.hash(
                seq: entry.seq, atMillis: entry.atMillis, actor: entry.actor, action: entry.action, target: entry.target,
                detail: entry.detail, prevHash: entry.prevHash)
            {
                failure = .init(seq: entry.seq, problem: "entry \(entry.seq) was changed: its contents do not match its hash")
            } else {
                last = (entry.seq, entry.hash)
                checked += 1
            }
            return failure == nil
        }

        /// The verdict, given the head the store recorded (the newest seq and hash it wrote).
        public func finish(head: (seq: Int64, hash: String)) -> AuditVerification {
            if let failure { return AuditVerification(intact: false, entries: checked, failure: failure) }
            if head.seq != last.seq || head.hash != last.hash {
                let failure = AuditVerification.Failure(
                    seq: last.seq + 1,
                    problem: "the log ends at entry \(last.seq) but \(head.seq) entries were written: entries from \(last.seq + 1) were removed"
                )
                return AuditVerification(intact: false, entries: checked, failure: failure)
            }
            return AuditVerification(intact: true, entries: checked, failure: nil)
        }
    }
}

/// The result of verifying the audit chain.
public struct AuditVerification: Codable, Sendable, Equatable {
    public struct Failure: Codable, Sendable, Equatable {
        /// The first entry that is missing, changed or unlinked.
        public var seq: Int64
        public var problem: String

        public init(seq: Int64, problem: String) {
            self.seq = seq
            self.problem = problem
        }
    }

    public var intact: Bool
    public var entries: Int
    public var failure: Failure?

    public init(intact: Bool, entries: Int, failure: Failure?) {
        self.intact = intact
        self.entries = entries
        self.failure = failure
    }
}

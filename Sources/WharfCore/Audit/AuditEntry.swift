import Foundation

/// One line of the append-only audit log. `hash` covers every other member and the previous entry's hash,
/// so changing or removing any row breaks the chain from that row on.
public struct AuditEntry: Codable, Sendable, Equatable {
    public var seq: Int64
    /// Milliseconds since 1970 (UTC), exactly as hashed.
    public var atMillis: Int64
    public var actor: String
    public var action: String
    public var target: String
    /// A JSON object describing the change, with secrets already replaced by fingerprints.
    public var detail: String
    public var prevHash: String
    public var hash: String

    public init(seq: Int64, atMillis: Int64, actor: String, action: String, target: String, detail: String, prevHash: String, hash: String) {
        self.seq = seq
        self.atMillis = atMillis
        self.actor = actor
        self.action = action
        self.target = target
        self.detail = detail
        self.prevHash = prevHash
        self.hash = hash
    }

    public var at: Date { Date(timeIntervalSince1970: Double(atMillis) / 1000) }
}

import Foundation
import SQLKit
import WharfCore

extension Store {
    /// Appends one entry to the audit chain inside the caller's transaction.
    ///
    /// The head row is updated first: on PostgreSQL that row lock orders concurrent writers, so each entry
    /// links to exactly the one before it.
    static func appendAudit(_ db: any SQLDatabase, at: Date, actor: Actor, action: String, target: String, detail: some Encodable) async throws {
        guard let head = try await db.raw("UPDATE wharf_audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash").first() else {
            throw WharfError(.storage, "the audit head row is missing; the database was changed outside Wharf")
        }
        let seq = try head.decode(column: "seq", as: Int64.self)
        let previous = (seq: seq - 1, hash: try head.decode(column: "hash", as: String.self))
        let entry = AuditChain.entry(
            after: previous, atMillis: JSONColumn.millis(at), actor: actor.auditName, action: action, target: target,
            detail: try JSONColumn.encode(detail)
        )
        try await db.insert(into: "wharf_audit_log")
            .columns("seq", "at_ms", "actor", "action", "target", "detail", "prev_hash", "hash")
            .values(
                SQLBind(entry.seq), SQLBind(entry.atMillis), SQLBind(entry.actor), SQLBind(entry.action),
                SQLBind(entry.target), SQLBind(entry.detail), SQLBind(entry.prevHash), SQLBind(entry.hash)
            )
            .run()
        try await db.update("wharf_audit_head").set("hash", to: SQLBind(entry.hash)).where("id", .equal, SQLBind(1)).run()
    }

    /// Audit entries in order, optionally for one target (such as `instance:acme`), after a sequence number.
    public func auditEntries(target: String? = nil, after: Int64 = 0, limit: Int = 100) async throws -> Page<AuditEntry> {
        let entries = try await read { db in
            var query = db.select().columns("*").from("wharf_audit_log").where("seq", .greaterThan, SQLBind(after))
            if let target { query = query.where("target", .equal, SQLBind(target)) }
            return try await query.orderBy("seq").limit(limit + 1).all().map(Self.auditEntry)
        }
        let page = Array(entries.prefix(limit))
        return Page(items: page, nextCursor: entries.count > limit ? page.last.map { Cursor.encode(String($0.seq)) } : nil)
    }

    /// Walks the whole chain and reports whether it is intact, naming the first bad entry if not.
    public func verifyAudit() async throws -> AuditVerification {
        var verifier = AuditChain.Verifier()
        var after: Int64 = 0
        while true {
            let batch = try await read { [after] db in
                try await db.select().columns("*").from("wharf_audit_log").where("seq", .greaterThan, SQLBind(after))
                    .orderBy("seq").limit(2000).all().map(Self.auditEntry)
            }
            for entry in batch { if !verifier.feed(entry) { break } }
            guard verifier.failure == nil, let last = batch.last, batch.count == 2000 else { break }
            after = last.seq
        }
        let head = try await read { db in try await db.raw("SELECT seq, hash FROM wharf_audit_head WHERE id = 1").first() }
        guard let head else { throw WharfError(.storage, "the audit head row is missing; the database was changed outside Wharf") }
        return verifier.finish(head: (try head.decode(column: "seq", as: Int64.self), try head.decode(column: "hash", as: String.self)))
    }

    static func auditEntry(_ row: any SQLRow) throws -> AuditEntry {
        AuditEntry(
            seq: try row.decode(column: "seq", as: Int64.self), atMillis: try row.decode(column: "at_ms", as: Int64.self),
            actor: try row.decode(column: "actor", as: String.self), action: try row.decode(column: "action", as: String.self),
            target: try row.decode(column: "target", as: String.self), detail: try row.decode(column: "detail", as: String.self),
            prevHash: try row.decode(column: "prev_hash", as: String.self), hash: try row.decode(column: "hash", as: String.self)
        )
    }
}

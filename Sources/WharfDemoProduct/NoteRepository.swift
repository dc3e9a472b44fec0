import Foundation
import SQLKit
import WharfCore
import WharfRuntime

/// A note as the JSON API shows it.
public struct Note: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var body: String
    /// Present from product version 5.3.0.
    public var pinned: Bool?
    public var createdAt: Date
}

/// What creates a note through the API or the form.
public struct NoteDraft: Codable, Sendable, Equatable {
    public var title: String
    public var body: String
    public var pinned: Bool?

    public init(title: String, body: String, pinned: Bool? = nil) {
        self.title = title
        self.body = body
        self.pinned = pinned
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case title, body, pinned }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        title = try c.decode(String.self, forKey: .title)
        body = try c.decodeIfPresent(String.self, forKey: .body) ?? ""
        pinned = try c.decodeIfPresent(Bool.self, forKey: .pinned)
    }

    func validated(pinning: Bool) throws(WharfError) -> NoteDraft {
        var v = Validator()
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        if title.isEmpty || title.count > 200 { v.add("title", "invalid", "must be 1 to 200 characters") }
        if body.count > 10_000 { v.add("body", "too_long", "must be at most 10,000 characters") }
        if pinned != nil, !pinning { v.add("pinned", "not_supported", "pinning notes needs product version 5.3.0 or later") }
        try v.finish()
        return NoteDraft(title: title, body: body, pinned: pinned)
    }
}

/// The notes table, on whichever engine the contract gave.
struct NoteRepository: Sendable {
    let database: any DatabaseEngine
    let pinning: Bool

    func list() async throws -> [Note] {
        try await database.read { [pinning] db in
            var select = db.select().columns("id", "title", "body", "created_ms").from("notes")
            if pinning { select = select.column("pinned").orderBy("pinned", .descending) }
            return try await select.orderBy("created_ms", .descending).orderBy("id").limit(500).all().map { try note($0) }
        }
    }

    func note(id: String) async throws -> Note? {
        try await database.read { [pinning] db in
            var select = db.select().columns("id", "title", "body", "created_ms").from("notes").where("id", .equal, SQLBind(id))
            if pinning { select = select.column("pinned") }
            return try await select.first().map { try note($0) }
        }
    }

    func create(_ draft: NoteDraft, now: Date) async throws -> Note {
        let draft = try draft.validated(pinning: pinning)
        let note = Note(
            id: TokenSecret.identifier(), title: draft.title, body: draft.body, pinned: pinning ? (draft.pinned ?? false) : nil,
            createdAt: WharfJSON.wholeSeconds(now)
        )
        try await database.transaction { db in
            var columns = ["id", "title", "body", "created_ms"]
            var values: [any SQLExpression] = [SQLBind(note.id), SQLBind(note.title), SQLBind(note.body), SQLBind(Int64(note.createdAt.timeIntervalSince1970 * 1000))]
            if let pinned = note.pinned {
                columns.append("pinned")
                values.append(SQLBind(pinned))
            }
            try await db.insert(into: "notes").columns(columns).values(values).run()
        }
        return note
    }

    func delete(id: String) async throws -> Bool {
        try await database.transaction { db in
            guard try await db.select().column("id").from("notes").where("id", .equal, SQLBind(id)).first() != nil else { return false }
            try await db.delete(from: "notes").where("id", .equal, SQLBind(id)).run()
            return true
        }
    }

    func count() async throws -> Int {
        try await database.read { db in try await db.raw("SELECT COUNT(*) AS n FROM notes").first()?.decode(column: "n", as: Int.self) ?? 0 }
    }

    private func note(_ row: any SQLRow) throws -> Note {
        Note(
            id: try row.decode(column: "id", as: String.self), title: try row.decode(column: "title", as: String.self),
            body: try row.decode(column: "body", as: String.self), pinned: pinning ? try row.decode(column: "pinned", as: Bool.self) : nil,
            createdAt: Date(timeIntervalSince1970: TimeInterval(try row.decode(column: "created_ms", as: Int64.self)) / 1000)
        )
    }
}

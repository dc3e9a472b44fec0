import SQLKit
import WharfCore
import WharfRuntime

/// The demo product's schema by product version: 5.3.0 added pinned notes, so an upgrade from 5.2 has a
/// migration to run, and a 5.2 build refuses a database a 5.3 build has migrated.
enum DemoSchema {
    static let pinningSince = ProductVersionNumber(5, 3, 0)

    static func supportsPinning(_ version: String) -> Bool { (ProductVersionNumber(version) ?? pinningSince) >= pinningSince }

    static func migrations(for version: String) -> [Migration] {
        var migrations = [
            Migration(
                version: 1, name: "notes and the admin account",
                sql: [
                    "CREATE TABLE notes (id TEXT PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL, created_ms BIGINT NOT NULL)",
                    "CREATE TABLE admin_account (id INTEGER PRIMARY KEY, email TEXT NOT NULL, password_hash TEXT NOT NULL, updated_ms BIGINT NOT NULL)",
                ]
            )
        ]
        if supportsPinning(version) {
            migrations.append(Migration(version: 2, name: "pinned notes", sql: ["ALTER TABLE notes ADD COLUMN pinned BOOLEAN NOT NULL DEFAULT FALSE"]))
        }
        return migrations
    }
}

/// `major.minor.patch` of a product version, comparable (pre-release suffixes are ignored).
struct ProductVersionNumber: Comparable {
    var parts: [Int]

    init(_ major: Int, _ minor: Int, _ patch: Int) { parts = [major, minor, patch] }

    init?(_ text: String) {
        let numbers = text.split(separator: "-").first?.split(separator: ".").compactMap { Int($0) } ?? []
        guard numbers.count == 3 else { return nil }
        parts = numbers
    }

    static func < (lhs: Self, rhs: Self) -> Bool { lhs.parts.lexicographicallyPrecedes(rhs.parts) }
}

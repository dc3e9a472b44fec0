import SQLKit

/// One versioned schema change. Migrations are append-only: a released one is never edited, a new version
/// is added instead.
struct Migration: Sendable {
    var version: Int
    var name: String
    var apply: @Sendable (any SQLDatabase, EngineKind) async throws -> Void
}

import Foundation
import SQLKit
import WharfCore
import WharfRuntime

/// An `Idempotency-Key` from a client, scoped to the caller so two callers cannot see each other's
/// results, with a fingerprint of the request so reusing a key for a different request is refused.
public struct IdempotencyKey: Sendable, Equatable {
    public var scope: String
    public var key: String
    public var fingerprint: String

    public init(scope: String, key: String, fingerprint: String) {
        self.scope = scope
        self.key = key
        self.fingerprint = fingerprint
    }

    var storageKey: String { "\(scope):\(key)" }
}

/// The result of a create: the record, and whether it is a replay of an earlier identical request.
public struct Created<Value: Codable & Sendable>: Sendable {
    public var value: Value
    public var replayed: Bool
}

extension Store {
    /// Runs `create` in a transaction that also records the result under the idempotency key, or returns the
    /// result recorded by an earlier request with the same key.
    ///
    /// `recording` gives the form kept for replays: a secret returned once (a password reset link) is
    /// left out of it, so a replay does not return it again.
    func idempotent<Value: Codable & Sendable>(
        _ key: IdempotencyKey?, conflict message: String, recording: @escaping @Sendable (Value) -> Value = { $0 },
        _ create: @escaping @Sendable (any SQLDatabase) async throws -> Value
    ) async throws -> Created<Value> {
        do {
            return try await write { db in
                if let key, let earlier: Value = try await Self.recorded(db, key) { return Created(value: earlier, replayed: true) }
                let value = try await create(db)
                if let key {
                    try await db.insert(into: "wharf_idempotency_keys").columns("scope_key", "fingerprint", "response", "created_ms")
                        .values(SQLBind(key.storageKey), SQLBind(key.fingerprint), SQLBind(try JSONColumn.encode(recording(value))), SQLBind(JSONColumn.millis(now())))
                        .run()
                }
                return Created(value: value, replayed: false)
            }
        } catch let error as WharfError where error.code == .conflict {
            // A concurrent request with the same key may have won the race; it created what we were asked for.
            if let key, let earlier: Value = try await read({ db in try await Self.recorded(db, key) }) { return Created(value: earlier, replayed: true) }
            throw error
        } catch is UniqueViolation {
            if let key, let earlier: Value = try await read({ db in try await Self.recorded(db, key) }) { return Created(value: earlier, replayed: true) }
            throw WharfError(.conflict, message)
        }
    }

    static func recorded<Value: Decodable>(_ db: any SQLDatabase, _ key: IdempotencyKey) async throws -> Value? {
        guard let row = try await db.select().columns("fingerprint", "response").from("wharf_idempotency_keys")
            .where("scope_key", .equal, SQLBind(key.storageKey)).first()
        else { return nil }
        guard try row.decode(column: "fingerprint", as: String.self) == key.fingerprint else {
            throw WharfError(.idempotencyKeyReused, "this Idempotency-Key was used for a different request; use a new key for a new request")
        }
        return try JSONColumn.decode(Value.self, try row.decode(column: "response", as: String.self))
    }
}

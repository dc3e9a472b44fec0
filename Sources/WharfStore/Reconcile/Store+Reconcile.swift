import Foundation
import SQLKit
import WharfCore

/// What the reconciler reads of one instance: the record, the unsealed licence key the product is started
/// with, and the requests still being carried out on it.
public struct ReconcileTarget: Sendable {
    public var instance: Instance
    public var licenceKey: String?
    public var inProgress: [LifecycleRequest]
}

extension Store {
    /// The instance and what the reconciler needs with it, or nil if no such instance exists.
    public func reconcileTarget(slug: String) async throws -> ReconcileTarget? {
        let found = try await read { db -> (Instance, Data?, [LifecycleRequest])? in
            guard let row = try await db.select().columns("doc", "licence_key_sealed").from("wharf_instances").where("slug", .equal, SQLBind(slug)).first()
            else { return nil }
            let instance = try JSONColumn.decode(Instance.self, try row.decode(column: "doc", as: String.self))
            let sealed = try row.decodeNil(column: "licence_key_sealed") ? nil : try row.decode(column: "licence_key_sealed", as: Data.self)
            let requests = try await db.select().column("doc").from("wharf_requests").where("instance", .equal, SQLBind(slug))
                .where("state", .equal, SQLBind(RequestState.inProgress.rawValue)).orderBy("id").all()
                .map { try JSONColumn.decode(LifecycleRequest.self, try $0.decode(column: "doc", as: String.self)) }
            return (instance, sealed, requests)
        }
        guard let (instance, sealed, requests) = found else { return nil }
        return ReconcileTarget(instance: instance, licenceKey: try sealed.map { try secrets.open(Array($0)) }, inProgress: requests)
    }

    /// Fails the requests still in progress on the instance (those of `kinds`, or every one) with `reason`,
    /// as the system; returns them.
    @discardableResult
    public func failInProgressRequests(slug: String, kinds: Set<RequestKind>? = nil, reason: String) async throws -> [LifecycleRequest] {
        let now = now()
        return try await write { db in
            let rows = try await db.select().column("doc").from("wharf_requests").where("instance", .equal, SQLBind(slug))
                .where("state", .equal, SQLBind(RequestState.inProgress.rawValue)).orderBy("id").lockingClause(SQLLockingClause.update).all()
            var failed: [LifecycleRequest] = []
            for row in rows {
                let request = try JSONColumn.decode(LifecycleRequest.self, try row.decode(column: "doc", as: String.self))
                guard kinds?.contains(request.kind) ?? true else { continue }
                failed.append(try await Self.transition(db, request, .fail, by: .system, reason: reason, at: now))
            }
            return failed
        }
    }

    /// Records what happened to the instance in the world (a start, a crash, a restart) in its history.
    public func recordInstanceActivity(slug: String, action: String, detail: [String: JSONValue]) async throws {
        let now = now()
        try await write { db in
            try await Self.appendAudit(db, at: now, actor: .system, action: "instance.\(action)", target: "instance:\(slug)", detail: detail)
        }
    }

    /// The newest `limit` entries of what happened to the instance's process (starts, stops, restarts,
    /// crashes), newest first.
    public func recentInstanceActivity(slug: String, limit: Int) async throws -> [AuditEntry] {
        try await read { db in
            try await db.select().columns("*").from("wharf_audit_log").where("target", .equal, SQLBind("instance:\(slug)"))
                .where("action", .like, SQLBind("instance.process%")).orderBy("seq", .descending).limit(limit).all().map(Self.auditEntry)
        }
    }
}

import Foundation
import SQLKit
import WharfCore
import WharfRuntime

/// A reconcile job a worker holds: the instance to look at, and the change generation it saw when it
/// claimed it, so a change made meanwhile makes the job due again instead of being lost.
public struct ReconcileLease: Sendable, Equatable {
    public var slug: String
    public var generation: Int64
    /// Passes in a row that did not converge; the worker's retry delay grows with it.
    public var attempts: Int
}

/// How a worker leaves a job: look again at `nextDue`, or drop the job because the instance is gone for good.
public enum ReconcileNext: Sendable, Equatable {
    case due(Date, attempts: Int, error: String?)
    case finished
}

extension Store {
    /// Makes the instance's job due now, creating it if needed, in the caller's transaction: every write
    /// of an instance calls this, so the reconciler hears of each change.
    static func markReconcileDue(_ db: any SQLDatabase, slug: String, at now: Date) async throws {
        try await db.raw(
            """
            INSERT INTO wharf_reconcile_jobs (slug, due_ms, generation, attempts) VALUES (\(bind: slug), \(bind: JSONColumn.millis(now)), 1, 0)
            ON CONFLICT (slug) DO UPDATE SET due_ms = excluded.due_ms, generation = wharf_reconcile_jobs.generation + 1, attempts = 0
            """
        ).run()
    }

    /// Makes the jobs of `slugs` due now; the reconciler calls it when a provider reports a change (a crash).
    public func markReconcileDue(slugs: [String]) async throws {
        guard !slugs.isEmpty else { return }
        let now = now()
        try await write { db in
            for slug in slugs where try await Self.instanceRow(db, slug: slug) != nil {
                try await Self.markReconcileDue(db, slug: slug, at: now)
            }
        }
    }

    /// Makes every job due now: a control plane that starts looks at the whole fleet at once.
    public func markAllReconcileDue() async throws {
        let now = JSONColumn.millis(clock())
        try await write { db in
            try await db.update("wharf_reconcile_jobs").set("due_ms", to: SQLBind(now)).where("due_ms", .greaterThan, SQLBind(now)).run()
        }
    }

    /// Leases up to `limit` due jobs to `owner` for `lease` seconds, the longest-waiting first. Jobs another
    /// worker holds are skipped (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite has one writer), and a job
    /// whose lease ran out (its worker died) is taken over.
    public func claimReconcileJobs(owner: String, limit: Int, lease: TimeInterval) async throws -> [ReconcileLease] {
        // Job times are kept to the millisecond (the registry's whole seconds would delay short retries).
        let now = JSONColumn.millis(clock())
        let select = { @Sendable (db: any SQLDatabase) in
            db.select().columns("slug", "generation", "attempts").from("wharf_reconcile_jobs")
                .where("due_ms", .lessThanOrEqual, SQLBind(now))
                .where { $0.where("lease_until_ms", .is, SQLLiteral.null).orWhere("lease_until_ms", .lessThan, SQLBind(now)) }
                .orderBy("due_ms").limit(limit)
        }
        // Most ticks find nothing due; a read keeps those off the single SQLite writer.
        guard try await read({ db in try await select(db).first() }) != nil else { return [] }
        return try await write { [engineKind] db in
            var query = select(db)
            if engineKind == .postgres { query = query.lockingClause(SQLRaw("FOR UPDATE SKIP LOCKED")) }
            let claimed = try await query.all().map { row in
                ReconcileLease(
                    slug: try row.decode(column: "slug", as: String.self), generation: try row.decode(column: "generation", as: Int64.self),
                    attempts: Int(try row.decode(column: "attempts", as: Int64.self))
                )
            }
            guard !claimed.isEmpty else { return [] }
            try await db.update("wharf_reconcile_jobs").set("lease_owner", to: SQLBind(owner))
                .set("lease_until_ms", to: SQLBind(now + Int64(lease * 1000))).where("slug", .in, claimed.map(\.slug)).run()
            return claimed
        }
    }

    /// The workers holding leases now.
    public func reconcileLeaseOwners() async throws -> [String] {
        try await read { db in
            try await db.select().distinct().column("lease_owner").from("wharf_reconcile_jobs").where("lease_owner", .isNot, SQLLiteral.null).all()
                .map { try $0.decode(column: "lease_owner", as: String.self) }
        }
    }

    /// Releases every lease `owner` holds (a worker known to be dead), making its jobs due at once.
    public func releaseReconcileLeases(owner: String) async throws {
        let now = JSONColumn.millis(clock())
        try await write { db in
            try await db.update("wharf_reconcile_jobs").set("lease_owner", to: SQLLiteral.null).set("lease_until_ms", to: SQLLiteral.null)
                .set("due_ms", to: SQLBind(now)).where("lease_owner", .equal, SQLBind(owner)).run()
        }
    }

    /// Extends the leases `owner` still holds on `slugs`, while it works on them.
    public func renewReconcileLeases(owner: String, slugs: [String], lease: TimeInterval) async throws {
        guard !slugs.isEmpty else { return }
        let until = JSONColumn.millis(clock()) + Int64(lease * 1000)
        try await write { db in
            try await db.update("wharf_reconcile_jobs").set("lease_until_ms", to: SQLBind(until))
                .where("slug", .in, slugs).where("lease_owner", .equal, SQLBind(owner)).run()
        }
    }

    /// Releases a job. If the instance changed while `owner` worked on it, the job stays due at once.
    /// A worker whose lease was taken over changes nothing.
    public func finishReconcileJob(_ lease: ReconcileLease, owner: String, next: ReconcileNext) async throws {
        try await write { db in
            switch next {
            case .finished:
                try await db.delete(from: "wharf_reconcile_jobs").where("slug", .equal, SQLBind(lease.slug))
                    .where("lease_owner", .equal, SQLBind(owner)).where("generation", .equal, SQLBind(lease.generation)).run()
            case .due(let date, let attempts, let error):
                try await db.raw(
                    """
                    UPDATE wharf_reconcile_jobs SET lease_owner = NULL, lease_until_ms = NULL,
                    due_ms = CASE WHEN generation = \(bind: lease.generation) THEN \(bind: JSONColumn.millis(date)) ELSE due_ms END,
                    attempts = CASE WHEN generation = \(bind: lease.generation) THEN \(bind: Int64(attempts)) ELSE 0 END,
                    last_error = \(bind: error.map { String($0.prefix(1000)) })
                    WHERE slug = \(bind: lease.slug) AND lease_owner = \(bind: owner)
                    """
                ).run()
            }
        }
    }
}

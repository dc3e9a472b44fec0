import Foundation
import SQLKit
import WharfCore

/// What one pass of the time-driven rules did.
public struct TimerOutcome: Sendable, Equatable {
    /// Trials whose expiry is less than three days away and whose owners were given notice.
    public var noticed: [String] = []
    /// Trials past their expiry that were suspended, with the request that did it.
    public var suspended: [String] = []
    /// Requests that crossed into the last fifth of their SLA window.
    public var nearBreach: [String] = []
}

extension Store {
    /// How long before a trial's expiry its notice is given (SPEC §1).
    public static let trialNoticePeriod: TimeInterval = 3 * 86_400

    /// Runs the rules that fire on the passing of time: trial expiry notices, suspension of expired
    /// trials, and near-breach events. Each fires once: notices and near-breach marks are recorded.
    public func runTimers() async throws -> TimerOutcome {
        let now = now()
        var outcome = TimerOutcome()
        let trials = try await read { db in
            try await db.select().column("doc").from("wharf_instances").where("state", .equal, SQLBind(InstanceState.active.rawValue)).all()
                .map { try JSONColumn.decode(Instance.self, try $0.decode(column: "doc", as: String.self)) }
                .filter { $0.type == .trial && $0.trialExpiresAt != nil }
        }
        for trial in trials {
            guard let expiry = trial.trialExpiresAt else { continue }
            if expiry <= now {
                if try await suspendExpiredTrial(trial, expiry: expiry) { outcome.suspended.append(trial.slug) }
            } else if expiry.timeIntervalSince(now) <= Self.trialNoticePeriod, try await giveTrialNotice(trial, expiry: expiry, now: now) {
                outcome.noticed.append(trial.slug)
            }
        }
        outcome.nearBreach = try await markNearBreaches(now: now)
        return outcome
    }

    /// Records the notice once per trial and expiry date, as an audit event on the instance.
    private func giveTrialNotice(_ trial: Instance, expiry: Date, now: Date) async throws -> Bool {
        try await write { db in
            let id = "trial_expiry:\(trial.slug):\(JSONColumn.millis(expiry))"
            guard try await db.select().column("id").from("wharf_notices").where("id", .equal, SQLBind(id)).first() == nil else { return false }
            try await db.insert(into: "wharf_notices").columns("id", "at_ms").values(SQLBind(id), SQLBind(JSONColumn.millis(now))).run()
            try await Self.appendAudit(
                db, at: now, actor: .system, action: "instance.trial_expiry_notice", target: "instance:\(trial.slug)",
                detail: ["trialExpiresAt": WharfJSON.timestamp(expiry), "adminEmail": trial.adminEmail]
            )
            return true
        }
    }

    /// Suspends an expired trial through a suspend request Wharf submits and approves itself, so it is
    /// measured and audited like any other. An open lifecycle request on the trial (a tear-down, say) wins.
    private func suspendExpiredTrial(_ trial: Instance, expiry: Date) async throws -> Bool {
        let reason = "trial expired at \(WharfJSON.timestamp(expiry))"
        let submission = RequestSubmission(kind: .suspend, instance: trial.slug, parameters: RequestParameters(reason: reason))
        do {
            let request = try await submitRequest(submission, actor: .system).value
            _ = try await decideRequest(id: request.id, .approve, reason: reason, actor: .system)
            return true
        } catch let error as WharfError where error.code == .conflict || error.code == .illegalTransition {
            return false
        }
    }

    /// Marks open requests that have less than a fifth of their running SLA window left and records a
    /// `near_breach` event for each, once.
    private func markNearBreaches(now: Date) async throws -> [String] {
        let candidates = try await read { db in
            try await db.select()
                .columns("id", "instance", "kind", "state", "submitted_ms", "responded_ms", "resolved_ms", "response_due_ms", "resolution_due_ms", "resolution_start_ms")
                .from("wharf_requests").where("resolved_ms", .is, SQLLiteral.null).where("near_breach_ms", .is, SQLLiteral.null).all()
                .map(Self.slaRecord)
                .filter { SLAReport.openRequest($0, now: now).nearBreach }
        }
        var marked: [String] = []
        for record in candidates {
            let done = try await write { db -> Bool in
                guard let request = try await Self.requestRow(db, id: record.id, forUpdate: true), request.state.isOpen else { return false }
                try await db.update("wharf_requests").set("near_breach_ms", to: SQLBind(JSONColumn.millis(now))).where("id", .equal, SQLBind(record.id)).run()
                try await Self.recordEvent(db, .nearBreach, request, at: now)
                return true
            }
            if done { marked.append(record.id) }
        }
        return marked
    }
}

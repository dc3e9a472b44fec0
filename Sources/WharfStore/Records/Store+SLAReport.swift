import Foundation
import SQLKit
import WharfCore

extension Store {
    /// The fleet SLA report over `from...to` (default: the 30 days before now), built from the request
    /// columns alone: open requests plus those answered, resolved or due in the period.
    public func slaReport(from: Date? = nil, to: Date? = nil) async throws -> SLAReport {
        let now = now()
        let to = to ?? now
        let from = from ?? to.addingTimeInterval(-30 * 86_400)
        guard from < to else { throw WharfError.invalid([FieldError("from", "after_to", "must be before to")]) }
        let (start, end) = (JSONColumn.millis(from), JSONColumn.millis(to))
        let records = try await read { db in
            try await db.select()
                .columns("id", "instance", "kind", "state", "submitted_ms", "responded_ms", "resolved_ms", "response_due_ms", "resolution_due_ms", "resolution_start_ms")
                .from("wharf_requests")
                .where { group in
                    group.where("resolved_ms", .is, SQLLiteral.null)
                        .orWhere { $0.where("resolved_ms", .greaterThanOrEqual, SQLBind(start)).where("submitted_ms", .lessThanOrEqual, SQLBind(end)) }
                        .orWhere { $0.where("responded_ms", .greaterThanOrEqual, SQLBind(start)).where("responded_ms", .lessThanOrEqual, SQLBind(end)) }
                }
                .all().map(Self.slaRecord)
        }
        return SLAReport.build(records, from: from, to: to, now: now)
    }

    static func slaRecord(_ row: any SQLRow) throws -> SLAReport.Record {
        let date = { (column: String) throws -> Date? in
            try row.decode(column: column, as: Int64?.self).map { Date(timeIntervalSince1970: TimeInterval($0) / 1000) }
        }
        let kind = try row.decode(column: "kind", as: String.self)
        let state = try row.decode(column: "state", as: String.self)
        guard let kind = RequestKind(rawValue: kind), let state = RequestState(rawValue: state) else {
            throw WharfError(.storage, "request \(try row.decode(column: "id", as: String.self)) has an unknown kind or state; was it written by a newer Wharf?")
        }
        return SLAReport.Record(
            id: try row.decode(column: "id", as: String.self), kind: kind, instance: try row.decode(column: "instance", as: String.self), state: state,
            submittedAt: try date("submitted_ms")!, respondedAt: try date("responded_ms"), resolvedAt: try date("resolved_ms"),
            responseDue: try date("response_due_ms"), resolutionDue: try date("resolution_due_ms"), resolutionStart: try date("resolution_start_ms")
        )
    }
}

import Foundation
import SQLKit
import WharfCore

extension Store {
    /// Records an outgoing event in the transaction that caused it (a transactional outbox), so a
    /// webhook is sent for exactly the changes that happened, after they happened, and never on the
    /// request path. Each request raises each kind of event at most once.
    static func recordEvent(_ db: any SQLDatabase, _ event: RequestEventKind, _ request: LifecycleRequest, at now: Date) async throws {
        let id = "\(request.id):\(event.rawValue)"
        try await db.insert(into: "wharf_request_events").columns("id", "at_ms", "event", "request_id", "doc")
            .values(
                SQLBind(id), SQLBind(JSONColumn.millis(now)), SQLBind(event.rawValue), SQLBind(request.id),
                SQLBind(try JSONColumn.encode(request.withoutSecrets))
            )
            .run()
        try await queueDeliveries(db, eventID: id, event: event, requestID: request.id, at: now)
    }
}

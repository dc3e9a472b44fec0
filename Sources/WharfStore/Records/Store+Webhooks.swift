import Foundation
import SQLKit
import WharfCore
import WharfRuntime

/// A delivery claimed for sending: where to, and what.
public struct DueDelivery: Sendable {
    public var delivery: WebhookDelivery
    public var url: URL
    public var payload: WebhookPayload
}

extension Store {
    /// Registers a webhook; its URL is sealed at rest.
    public func createWebhook(_ draft: WebhookDraft, actor: Actor) async throws -> Webhook {
        let (name, url, target, events) = try draft.validated()
        let webhook = Webhook(id: "wh_" + TokenSecret.identifier(), name: name, target: target, events: events, createdAt: now(), createdBy: actor.auditName)
        let sealed = Data(try secrets.seal(url.absoluteString))
        return try await write { db in
            try await db.insert(into: "wharf_webhooks").columns("id", "doc", "url_sealed")
                .values(SQLBind(webhook.id), SQLBind(try JSONColumn.encode(webhook)), SQLBind(sealed)).run()
            try await Self.appendAudit(db, at: webhook.createdAt, actor: actor, action: "webhook.create", target: "webhook:\(webhook.id)", detail: webhook)
            return webhook
        }
    }

    public func webhooks() async throws -> [Webhook] {
        try await read { db in
            try await db.select().column("doc").from("wharf_webhooks").orderBy("id").all()
                .map { try JSONColumn.decode(Webhook.self, try $0.decode(column: "doc", as: String.self)) }
        }
    }

    /// Removes a webhook; its pending deliveries are dropped, its history kept.
    public func deleteWebhook(id: String, actor: Actor) async throws -> Webhook {
        let now = now()
        return try await write { db in
            guard let row = try await db.select().column("doc").from("wharf_webhooks").where("id", .equal, SQLBind(id)).first() else {
                throw WharfError.notFound("webhook", id)
            }
            let webhook = try JSONColumn.decode(Webhook.self, try row.decode(column: "doc", as: String.self))
            try await db.delete(from: "wharf_webhooks").where("id", .equal, SQLBind(id)).run()
            try await db.update("wharf_webhook_deliveries").set("state", to: SQLBind(WebhookDelivery.State.failed.rawValue))
                .set("next_attempt_ms", to: SQLLiteral.null).where("webhook_id", .equal, SQLBind(id))
                .where("state", .equal, SQLBind(WebhookDelivery.State.pending.rawValue)).run()
            try await Self.appendAudit(db, at: now, actor: actor, action: "webhook.delete", target: "webhook:\(id)", detail: webhook)
            return webhook
        }
    }

    /// The newest deliveries of a webhook first, up to `limit`.
    public func webhookDeliveries(webhookID: String, limit: Int = 100) async throws -> [WebhookDelivery] {
        try await read { db in
            try await db.select().column("doc").from("wharf_webhook_deliveries").where("webhook_id", .equal, SQLBind(webhookID))
                .orderBy("id", .descending).limit(limit).all()
                .map { try JSONColumn.decode(WebhookDelivery.self, try $0.decode(column: "doc", as: String.self)) }
        }
    }

    /// Queues the event for every webhook that subscribes to it, in the transaction that raised it.
    static func queueDeliveries(_ db: any SQLDatabase, eventID: String, event: RequestEventKind, requestID: String, at now: Date) async throws {
        let hooks = try await db.select().column("doc").from("wharf_webhooks").all()
            .map { try JSONColumn.decode(Webhook.self, try $0.decode(column: "doc", as: String.self)) }
        for hook in hooks where hook.events.contains(event) {
            let delivery = WebhookDelivery(eventID: eventID, webhookID: hook.id, event: event, requestID: requestID, at: now)
            try await db.insert(into: "wharf_webhook_deliveries").columns("id", "webhook_id", "event_id", "state", "next_attempt_ms", "doc")
                .values(
                    SQLBind(delivery.id), SQLBind(hook.id), SQLBind(eventID), SQLBind(delivery.state.rawValue), SQLBind(JSONColumn.millis(now)),
                    SQLBind(try JSONColumn.encode(delivery))
                )
                .run()
        }
    }

    /// Claims up to `limit` deliveries that are due, leasing each for `lease` so another replica does
    /// not send it at the same time (PostgreSQL skips rows another replica has locked).
    public func claimDueDeliveries(limit: Int = 20, lease: TimeInterval = 60) async throws -> [DueDelivery] {
        let now = now()
        let rows = try await write { [engineKind] db in
            var select = db.select()
                .column(SQLColumn("doc", table: "d")).column(SQLColumn("url_sealed", table: "w"))
                .column(SQLAlias(SQLColumn("doc", table: "e"), as: SQLIdentifier("event_doc")))
                .from(SQLAlias(SQLIdentifier("wharf_webhook_deliveries"), as: SQLIdentifier("d")))
                .join(SQLAlias(SQLIdentifier("wharf_webhooks"), as: SQLIdentifier("w")), on: SQLColumn("id", table: "w"), .equal, SQLColumn("webhook_id", table: "d"))
                .join(SQLAlias(SQLIdentifier("wharf_request_events"), as: SQLIdentifier("e")), on: SQLColumn("id", table: "e"), .equal, SQLColumn("event_id", table: "d"))
                .where(SQLColumn("state", table: "d"), .equal, SQLBind(WebhookDelivery.State.pending.rawValue))
                .where(SQLColumn("next_attempt_ms", table: "d"), .lessThanOrEqual, SQLBind(JSONColumn.millis(now)))
                .orderBy(SQLColumn("next_attempt_ms", table: "d")).limit(limit)
            if engineKind == .postgres { select = select.lockingClause(SQLRaw("FOR UPDATE OF d SKIP LOCKED")) }
            let rows = try await select.all()
            var claimed: [(WebhookDelivery, Data, String)] = []
            for row in rows {
                let delivery = try JSONColumn.decode(WebhookDelivery.self, try row.decode(column: "doc", as: String.self))
                try await db.update("wharf_webhook_deliveries").set("next_attempt_ms", to: SQLBind(JSONColumn.millis(now.addingTimeInterval(lease))))
                    .where("id", .equal, SQLBind(delivery.id)).run()
                claimed.append((delivery, try row.decode(column: "url_sealed", as: Data.self), try row.decode(column: "event_doc", as: String.self)))
            }
            return claimed
        }
        return try rows.map { delivery, sealed, eventDoc in
            let request = try JSONColumn.decode(LifecycleRequest.self, eventDoc)
            guard let url = URL(string: try secrets.open(Array(sealed))) else { throw WharfError(.storage, "webhook \(delivery.webhookID) has an unreadable URL") }
            return DueDelivery(delivery: delivery, url: url, payload: WebhookPayload(event: delivery.event, request: request))
        }
    }

    /// Records one attempt: delivered on a 2xx status; otherwise retried with backoff until it gives up.
    @discardableResult
    public func recordDeliveryAttempt(id: String, status: Int?, error: String?) async throws -> WebhookDelivery {
        let now = now()
        return try await write { db in
            guard let row = try await db.select().column("doc").from("wharf_webhook_deliveries").where("id", .equal, SQLBind(id))
                .lockingClause(SQLLockingClause.update).first()
            else { throw WharfError.notFound("webhook delivery", id) }
            var delivery = try JSONColumn.decode(WebhookDelivery.self, try row.decode(column: "doc", as: String.self))
            delivery.attempts += 1
            delivery.lastStatus = status
            delivery.lastError = error.map { String($0.prefix(500)) }
            if let status, (200..<300).contains(status) {
                delivery.state = .delivered
                delivery.deliveredAt = now
                delivery.nextAttemptAt = nil
            } else if delivery.attempts >= WebhookDelivery.maxAttempts {
                delivery.state = .failed
                delivery.nextAttemptAt = nil
            } else {
                delivery.nextAttemptAt = now.addingTimeInterval(WebhookDelivery.backoff(afterAttempt: delivery.attempts))
            }
            try await db.update("wharf_webhook_deliveries").set("state", to: SQLBind(delivery.state.rawValue))
                .set("next_attempt_ms", to: SQLBind(delivery.nextAttemptAt.map(JSONColumn.millis))).set("doc", to: SQLBind(try JSONColumn.encode(delivery)))
                .where("id", .equal, SQLBind(id)).run()
            return delivery
        }
    }
}

import Foundation
import NIOHTTP1
import WharfCore

/// Filters for listing requests; every member is optional.
public struct RequestFilter: Sendable {
    public var state: RequestState?
    public var openOnly: Bool
    public var kind: RequestKind?
    public var instance: String?

    public init(state: RequestState? = nil, openOnly: Bool = false, kind: RequestKind? = nil, instance: String? = nil) {
        self.state = state
        self.openOnly = openOnly
        self.kind = kind
        self.instance = instance
    }

    var parameters: [(String, String?)] {
        [("state", state?.rawValue), ("open", openOnly ? "true" : nil), ("kind", kind?.rawValue), ("instance", instance)]
    }
}

extension WharfClient {
    public func requests(_ filter: RequestFilter = RequestFilter(), cursor: String? = nil, limit: Int? = nil) async throws -> Page<LifecycleRequest> {
        try await send(.GET, "/v1/requests", query: filter.parameters + [("cursor", cursor), ("limit", limit.map(String.init))])
    }

    /// Every request matching `filter`, following cursors page by page.
    public func allRequests(_ filter: RequestFilter = RequestFilter()) async throws -> [LifecycleRequest] {
        try await allPages { cursor in try await requests(filter, cursor: cursor, limit: InstanceQuery.maxLimit) }
    }

    public func request(_ id: String) async throws -> LifecycleRequest { try await send(.GET, "/v1/requests/\(escaped(id))") }

    public func submitRequest(_ submission: RequestSubmission, idempotencyKey: String? = nil) async throws -> LifecycleRequest {
        try await send(.POST, "/v1/requests", body: submission, headers: idempotencyKey.map { ["Idempotency-Key": $0] } ?? [:])
    }

    /// Approves, rejects, cancels or fails a request (`event` names which).
    public func decideRequest(_ id: String, _ event: RequestEvent, reason: String? = nil) async throws -> LifecycleRequest {
        try await send(.POST, "/v1/requests/\(escaped(id))/\(event.rawValue)", body: RequestDecision(reason: reason))
    }

    public func extendRequest(_ id: String, _ draft: SLAExtensionDraft) async throws -> LifecycleRequest {
        try await send(.POST, "/v1/requests/\(escaped(id))/extend", body: draft)
    }

    public func slaReport(from: Date? = nil, to: Date? = nil) async throws -> SLAReport {
        try await send(.GET, "/v1/reports/sla", query: [("from", from.map(WharfJSON.timestamp)), ("to", to.map(WharfJSON.timestamp))])
    }
}

extension WharfClient {
    public func webhooks() async throws -> [Webhook] { (try await send(.GET, "/v1/webhooks") as Page<Webhook>).items }
    public func createWebhook(_ draft: WebhookDraft) async throws -> Webhook { try await send(.POST, "/v1/webhooks", body: draft) }
    public func deleteWebhook(_ id: String) async throws -> Webhook { try await send(.DELETE, "/v1/webhooks/\(escaped(id))") }

    public func webhookDeliveries(_ id: String) async throws -> [WebhookDelivery] {
        (try await send(.GET, "/v1/webhooks/\(escaped(id))/deliveries") as Page<WebhookDelivery>).items
    }
}

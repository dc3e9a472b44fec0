import Hummingbird
import WharfCore
import WharfStore

extension Handlers {
    func addWebhookRoutes(to router: RouterGroup<WharfRequestContext>) {
        router.get("webhooks") { _, context in
            _ = try context.require(.manageWebhooks)
            return try JSONResponse.make(Page(items: try await store.webhooks(), nextCursor: nil))
        }
        router.post("webhooks") { request, context in
            let actor = try context.require(.manageWebhooks)
            let (draft, _) = try await body(WebhookDraft.self, request)
            let webhook = try await store.createWebhook(draft, actor: actor)
            return try JSONResponse.make(webhook, status: .created, headers: [.location: "/v1/webhooks/\(webhook.id)"])
        }
        router.delete("webhooks/:id") { _, context in
            let actor = try context.require(.manageWebhooks)
            return try JSONResponse.make(try await store.deleteWebhook(id: try context.parameters.require("id"), actor: actor))
        }
        router.get("webhooks/:id/deliveries") { _, context in
            _ = try context.require(.manageWebhooks)
            let id = try context.parameters.require("id")
            guard try await store.webhooks().contains(where: { $0.id == id }) else { throw WharfError.notFound("webhook", id) }
            return try JSONResponse.make(Page(items: try await store.webhookDeliveries(webhookID: id), nextCursor: nil))
        }
    }
}

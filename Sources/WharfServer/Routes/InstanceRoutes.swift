import Hummingbird
import WharfCore
import WharfStore

extension Handlers {
    func addInstanceRoutes(to router: RouterGroup<WharfRequestContext>) {
        router.get("instances") { request, context in
            _ = try context.require(.read)
            return try JSONResponse.page(try await store.instanceDocuments(try InstanceQuery.parse(Self.queryParameters(request))))
        }
        router.post("instances") { request, context in
            let actor = try context.require(.requestInstances)
            let (draft, bytes) = try await body(InstanceDraft.self, request)
            let key = try idempotencyKey(request, actor: actor, body: bytes)
            let created = try await store.createInstance(draft, actor: actor, idempotency: key)
            return try self.created(created, location: "/v1/instances/\(created.value.slug)")
        }
        router.get("instances/:slug") { request, context in
            _ = try context.require(.read)
            return try JSONResponse.make(try await store.instance(slug: try context.parameters.require("slug")))
        }
        router.patch("instances/:slug") { request, context in
            let actor = try context.require(.manageRegistry)
            let (patch, _) = try await body(InstancePatch.self, request)
            return try JSONResponse.make(try await store.updateInstance(slug: try context.parameters.require("slug"), patch, actor: actor))
        }
        router.post("instances/:slug/events") { request, context in
            let actor = try context.require(.manageRegistry)
            let (event, _) = try await body(InstanceEventRequest.self, request)
            return try JSONResponse.make(try await store.applyEvent(slug: try context.parameters.require("slug"), event, actor: actor))
        }
        router.post("instances/:slug/domains/:domain/verify") { request, context in
            let actor = try context.require(.requestInstances)
            let (verification, _) = try await body(DomainVerificationRequest.self, request)
            return try JSONResponse.make(try await store.verifyCustomDomain(
                slug: try context.parameters.require("slug"), domain: try context.parameters.require("domain"), verification, actor: actor))
        }
        router.get("instances/:slug/history") { request, context in
            _ = try context.require(.read)
            let slug = try context.parameters.require("slug")
            _ = try await store.instance(slug: slug)
            let (after, limit) = try Self.auditPaging(request)
            return try JSONResponse.make(try await store.auditEntries(target: "instance:\(slug)", after: after, limit: limit))
        }
    }
}

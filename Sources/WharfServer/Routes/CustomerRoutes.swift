import Hummingbird
import WharfCore
import WharfStore

extension Handlers {
    func addCustomerRoutes(to router: RouterGroup<WharfRequestContext>) {
        router.get("customers") { request, context in
            _ = try context.require(.read)
            var v = Validator()
            let parameters = Self.queryParameters(request)
            let after = parameters["cursor"].flatMap { raw in v.check("cursor") { () throws(FieldProblem) in try Cursor.decode(raw) } }
            let limit = parameters["limit"].flatMap { raw in v.check("limit") { () throws(FieldProblem) in try InstanceQuery.parseLimit(raw) } }
            try v.finish()
            return try JSONResponse.make(try await store.customers(after: after, limit: limit ?? InstanceQuery.defaultLimit))
        }
        router.post("customers") { request, context in
            let actor = try context.require(.requestInstances)
            let (draft, bytes) = try await body(CustomerDraft.self, request)
            let key = try idempotencyKey(request, actor: actor, body: bytes)
            let created = try await store.createCustomer(draft, actor: actor, idempotency: key)
            return try self.created(created, location: "/v1/customers/\(created.value.id)")
        }
        router.get("customers/:id") { request, context in
            _ = try context.require(.read)
            return try JSONResponse.make(try await store.customer(id: try context.parameters.require("id")))
        }
        router.patch("customers/:id") { request, context in
            let actor = try context.require(.manageRegistry)
            let (patch, _) = try await body(CustomerPatch.self, request)
            return try JSONResponse.make(try await store.updateCustomer(id: try context.parameters.require("id"), patch, actor: actor))
        }
    }
}

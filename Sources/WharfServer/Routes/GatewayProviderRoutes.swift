import Hummingbird
import WharfCore
import WharfStore

extension Handlers {
    /// The AI gateway's provider keys: set and rotated through Wharf, sealed at rest, never shown again.
    func addGatewayProviderRoutes(to router: RouterGroup<WharfRequestContext>) {
        router.get("gateway/providers") { _, context in
            _ = try context.require(.manageGateway)
            return try JSONResponse.make(Page(items: try await store.gatewayProviders(), nextCursor: nil))
        }
        router.put("gateway/providers/:api") { request, context in
            let actor = try context.require(.manageGateway)
            let (update, _) = try await body(GatewayProviderUpdate.self, request)
            return try JSONResponse.make(try await store.setGatewayProvider(api: try context.parameters.require("api"), update, actor: actor))
        }
        router.delete("gateway/providers/:api") { _, context in
            let actor = try context.require(.manageGateway)
            return try JSONResponse.make(try await store.deleteGatewayProvider(api: try context.parameters.require("api"), actor: actor))
        }
    }
}

import Foundation
import Hummingbird
import WharfControlPlane
import WharfCore
import WharfProviders
import WharfStore

extension Handlers {
    /// What runs: the health check and the product's logs of one instance.
    func addInstanceHealthRoutes(to router: RouterGroup<WharfRequestContext>) {
        router.get("instances/:slug/health") { request, context in
            _ = try context.require(.read)
            let slug = try context.parameters.require("slug")
            return try JSONResponse.make(try await InstanceHealthCheck.check(slug: slug, store: store, provider: provider, now: Date()))
        }
        router.get("instances/:slug/logs") { request, context in
            _ = try context.require(.read)
            let slug = try context.parameters.require("slug")
            _ = try await store.instance(slug: slug)
            let query = Self.queryParameters(request)
            var v = Validator()
            let lines = v.check("lines") { () throws(FieldProblem) in try Self.integer(query["lines"], default: 100, range: 1...1000) }
            let offset = v.check("offset") { () throws(FieldProblem) in try query["offset"].map { text throws(FieldProblem) in try Self.integer(text, default: 0, range: 0...Int.max) } }
            try v.finish()
            return try JSONResponse.make(await provider.logs(slug, after: offset.flatMap { $0 }, limit: lines ?? 100))
        }
    }

    /// The instance's AI gateway token, for whoever may request changes to it; reading it is audited.
    func addGatewayTokenRoute(to router: RouterGroup<WharfRequestContext>) {
        router.get("instances/:slug/gateway-token") { _, context in
            let actor = try context.require(.requestInstances)
            let slug = try context.parameters.require("slug")
            let token = try await store.gatewayToken(slug: slug, actor: actor)
            return try JSONResponse.make(GatewayTokenAnswer(instance: slug, token: token))
        }
    }

    static func integer(_ text: String?, default fallback: Int, range: ClosedRange<Int>) throws(FieldProblem) -> Int {
        guard let text else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw FieldProblem("invalid_integer", "must be a whole number from \(range.lowerBound) to \(range.upperBound == Int.max ? "up" : String(range.upperBound)) (got '\(text)')")
        }
        return value
    }
}

import Foundation
import Hummingbird
import WharfCore
import WharfStore

extension Handlers {
    func addRequestRoutes(to router: RouterGroup<WharfRequestContext>) {
        router.get("requests") { request, context in
            _ = try context.require(.read)
            return try JSONResponse.make(try await store.requests(try RequestQuery.parse(Self.queryParameters(request))))
        }
        router.post("requests") { request, context in
            let actor = try context.require(.requestInstances)
            let (submission, bytes) = try await body(RequestSubmission.self, request)
            let key = try idempotencyKey(request, actor: actor, body: bytes)
            let created = try await store.submitRequest(submission, actor: actor, idempotency: key)
            return try self.created(created, location: "/v1/requests/\(created.value.id)")
        }
        router.get("requests/:id") { _, context in
            _ = try context.require(.read)
            return try JSONResponse.make(try await store.request(id: try context.parameters.require("id")))
        }
        for (path, event, permission) in [
            ("approve", RequestEvent.approve, Permission.manageRegistry), ("reject", .reject, .manageRegistry),
            ("fail", .fail, .manageRegistry), ("cancel", .cancel, .requestInstances),
        ] {
            router.post("requests/:id/\(path)") { request, context in
                let actor = try context.require(permission)
                let decision = try await JSONBody.decodeIfPresent(RequestDecision.self, from: request, limit: maxBodyBytes) ?? RequestDecision()
                return try JSONResponse.make(try await store.decideRequest(id: try context.parameters.require("id"), event, reason: decision.reason, actor: actor))
            }
        }
        router.post("requests/:id/extend") { request, context in
            let actor = try context.require(.manageRegistry)
            let (draft, _) = try await body(SLAExtensionDraft.self, request)
            return try JSONResponse.make(try await store.extendRequest(id: try context.parameters.require("id"), draft, actor: actor))
        }
        // The token of a reset link is its own credential: the instance's product posts it here when the
        // admin opens the link, and learns whose password may be set. It works once.
        router.post("password-resets/redeem") { request, _ in
            let (redemption, _) = try await body(PasswordResetRedemption.self, request)
            return try JSONResponse.make(try await store.redeemPasswordReset(token: redemption.token))
        }
        router.get("reports/sla") { request, context in
            _ = try context.require(.read)
            let (from, to) = try Self.period(Self.queryParameters(request))
            return try JSONResponse.make(try await store.slaReport(from: from, to: to))
        }
    }

    /// `from` and `to` query parameters as RFC 3339 timestamps.
    static func period(_ parameters: [String: String]) throws(WharfError) -> (Date?, Date?) {
        var v = Validator()
        let dates = ["from", "to"].map { name in
            parameters[name].flatMap { raw in
                v.check(name) { () throws(FieldProblem) in
                    guard let date = WharfJSON.parseTimestamp(raw) else { throw FieldProblem("invalid_timestamp", "must be an RFC 3339 timestamp like 2026-11-01T00:00:00Z (got '\(raw)')") }
                    return date
                }
            }
        }
        try v.finish()
        return (dates[0], dates[1])
    }
}

import Hummingbird
import WharfCore
import WharfStore

extension Handlers {
    func addAccessRoutes(to router: RouterGroup<WharfRequestContext>) {
        router.get("me") { _, context in
            try JSONResponse.make(try context.require(.read))
        }
        router.get("tokens") { _, context in
            _ = try context.require(.manageTokens)
            return try JSONResponse.make(Page(items: try await store.tokens(), nextCursor: nil))
        }
        router.post("tokens") { request, context in
            let actor = try context.require(.manageTokens)
            let (draft, _) = try await body(TokenDraft.self, request)
            let issued = try await store.createToken(draft, actor: actor)
            return try JSONResponse.make(issued, status: .created, headers: [.location: "/v1/tokens/\(issued.token.id)"])
        }
        router.delete("tokens/:id") { _, context in
            let actor = try context.require(.manageTokens)
            return try JSONResponse.make(try await store.revokeToken(id: try context.parameters.require("id"), actor: actor))
        }
        router.get("audit") { request, context in
            _ = try context.require(.readAudit)
            let (after, limit) = try Self.auditPaging(request)
            let target = Self.queryParameters(request)["target"]
            return try JSONResponse.make(try await store.auditEntries(target: target, after: after, limit: limit))
        }
        router.get("audit/verify") { _, context in
            _ = try context.require(.readAudit)
            return try JSONResponse.make(try await store.verifyAudit())
        }
    }

    /// `cursor` (opaque; the last sequence number seen) and `limit` for audit pages.
    static func auditPaging(_ request: Request) throws(WharfError) -> (after: Int64, limit: Int) {
        var v = Validator()
        let parameters = queryParameters(request)
        let after = parameters["cursor"].flatMap { raw in
            v.check("cursor") { () throws(FieldProblem) in
                guard let seq = Int64(try Cursor.decode(raw)) else { throw FieldProblem("invalid_cursor", "is not a cursor this server issued") }
                return seq
            }
        }
        let limit = parameters["limit"].flatMap { raw in v.check("limit") { () throws(FieldProblem) in try InstanceQuery.parseLimit(raw) } }
        try v.finish()
        return (after ?? 0, limit ?? 100)
    }
}

import Hummingbird
import WharfCore
import WharfStore

/// Resolves `Authorization: Bearer <token>` to an actor. A malformed, unknown or revoked token is refused
/// at once with 401; a request without one continues, and routes that need an actor refuse it.
struct TokenAuthMiddleware: RouterMiddleware {
    typealias Context = WharfRequestContext
    let store: Store

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw WharfError(.unauthorized, "the Authorization header must be 'Bearer <token>'")
        }
        guard let token = try await store.authenticate(secret: String(parts[1])) else {
            throw WharfError(.unauthorized, "the token is unknown or revoked")
        }
        var context = context
        context.actor = token.actor
        return try await next(request, context)
    }
}

import Hummingbird
import WharfCore

/// The per-request context: Hummingbird's core storage plus the authenticated actor, if any.
public struct WharfRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `TokenAuthMiddleware` when the request carries a valid token.
    public var actor: Actor?

    public init(source: Source) {
        self.coreContext = .init(source: source)
    }

    /// The actor if it holds `permission`; 401 without a token, 403 with one that lacks the permission.
    func require(_ permission: Permission) throws(WharfError) -> Actor {
        guard let actor else {
            throw WharfError(.unauthorized, "send an API token as 'Authorization: Bearer <token>' (wharf token create makes one)")
        }
        guard actor.role.allows(permission) else {
            throw WharfError(.forbidden, "a \(actor.role.rawValue) token may not do this; it needs the \(permission.rawValue) permission")
        }
        return actor
    }
}

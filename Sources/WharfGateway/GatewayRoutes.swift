import AsyncHTTPClient
import Hummingbird
import Logging
import WharfStore

/// The gateway's routes, on any Hummingbird router: `wharf serve` mounts them on their own port beside
/// the control plane, `wharf gateway serve` runs them alone on the runtime.
public struct GatewayRoutes: Sendable {
    let handler: GatewayHandler

    public init(store: Store, configuration: GatewayConfiguration, http: HTTPClient = .shared, logger: Logger) {
        let actors = ActorCache(ttl: configuration.actorCacheTTL) { hash in try await store.gatewayActor(tokenHash: hash) }
        handler = GatewayHandler(configuration: configuration, actors: actors, http: http, logger: logger)
    }

    public func add<Context: RequestContext>(to router: Router<Context>) {
        for api in UpstreamAPI.allCases {
            router.post(RouterPath(api.path)) { request, _ in await handler.handle(request, api: api) }
        }
    }
}

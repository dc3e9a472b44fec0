import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import WharfStore

/// The gateway's routes, on any Hummingbird router: `wharf serve` mounts them on their own port beside
/// the control plane, `wharf gateway serve` runs them alone on the runtime. Each API is served at its own
/// path and under a feature (`/code_completion/v1/messages`). Run `ledger` in the same service group,
/// before the server, so settlements are written and flushed after the server drains.
public struct GatewayRoutes: Sendable {
    let handler: GatewayHandler
    public let ledger: GatewayLedger

    public init(
        store: Store, configuration: GatewayConfiguration, http: HTTPClient = .shared, clock: @escaping @Sendable () -> Date = Date.init, logger: Logger
    ) {
        let actors = ActorCache(ttl: configuration.actorCacheTTL) { hash in try await store.gatewayActor(tokenHash: hash) }
        ledger = GatewayLedger(store: store, leaseDuration: configuration.leaseDuration, clock: clock, logger: logger)
        let upstreams = UpstreamDirectory(store: store, fallback: configuration.upstreams, ttl: configuration.actorCacheTTL, logger: logger)
        handler = GatewayHandler(configuration: configuration, actors: actors, ledger: ledger, upstreams: upstreams, http: http, logger: logger)
    }

    public func add<Context: RequestContext>(to router: Router<Context>) {
        for api in UpstreamAPI.allCases {
            router.post(RouterPath(api.path)) { request, _ in await handler.handle(request, api: api, pathFeature: nil) }
            router.post(RouterPath(":feature" + api.path)) { request, context in
                await handler.handle(request, api: api, pathFeature: context.parameters.get("feature"))
            }
        }
        router.get("v1/limits") { request, _ in await handler.limits(request) }
    }
}

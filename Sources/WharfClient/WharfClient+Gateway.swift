import NIOHTTP1
import WharfCore

extension WharfClient {
    public func gatewayProviders() async throws -> [GatewayProvider] { (try await send(.GET, "/v1/gateway/providers") as Page<GatewayProvider>).items }

    public func setGatewayProvider(_ api: String, _ update: GatewayProviderUpdate) async throws -> GatewayProvider {
        try await send(.PUT, "/v1/gateway/providers/\(escaped(api))", body: update)
    }

    public func deleteGatewayProvider(_ api: String) async throws -> GatewayProvider { try await send(.DELETE, "/v1/gateway/providers/\(escaped(api))") }
}

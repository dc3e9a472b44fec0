/// `GET /v1/instances/{slug}/gateway-token`: the token an instance presents to the AI gateway.
public struct GatewayTokenAnswer: Codable, Sendable, Equatable {
    public var instance: String
    public var token: String

    public init(instance: String, token: String) {
        self.instance = instance
        self.token = token
    }
}

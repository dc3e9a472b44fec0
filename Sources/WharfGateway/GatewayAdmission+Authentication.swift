import NIOHTTP1
import WharfCore
import WharfStore

extension GatewayAdmission {
    /// The stored hash of the bearer token (or `x-api-key`, as Anthropic's SDKs send it).
    static func tokenHash(_ headers: HTTPHeaders) throws(GatewayFailure) -> String {
        let presented = headers.first(name: "authorization").flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
            ?? headers.first(name: "x-api-key")
        guard let token = presented else {
            throw .authentication("no token: send Authorization: Bearer \(GatewayToken.prefix)<hex SHA-256 of the instance's licence key>")
        }
        guard GatewayToken.isWellFormed(token) else {
            throw .authentication("the token is not a Wharf AI gateway token (\(GatewayToken.prefix) and 64 hex digits)")
        }
        return GatewayToken.storedHash(token)
    }

    /// The instance behind a token, if it may use the gateway now.
    static func permitted(_ found: GatewayActor?) throws(GatewayFailure) -> GatewayActor {
        guard let actor = found else { throw .authentication("unknown token: no instance has this licence key") }
        switch actor.state {
        case .suspended: throw .permission("the instance \(actor.slug) is suspended")
        case .deleted, .tearingDown: throw .permission("the instance \(actor.slug) is deleted")
        case .failed: throw .permission("the instance \(actor.slug) has failed provisioning")
        case .requested, .provisioning, .active: break
        }
        guard actor.aiGatewayAccess else {
            throw .permission("AI gateway access is not enabled for the instance \(actor.slug); ask for it with an enable_ai_gateway request")
        }
        return actor
    }

    /// The feature from the path (`/code_completion/v1/messages`, so an SDK's base URL can name it) or
    /// the `X-Wharf-Feature` header; chat when neither says. The two must agree when both are given.
    static func feature(of headers: HTTPHeaders, pathFeature: String?) throws(GatewayFailure) -> GatewayFeature {
        let header = headers.first(name: "x-wharf-feature")
        guard let name = pathFeature ?? header else { return .chat }
        guard let feature = GatewayFeature(rawValue: name) else {
            let source = pathFeature != nil ? "the path's feature" : "X-Wharf-Feature"
            throw .invalid("\(source) must be one of \(GatewayFeature.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(name)')")
        }
        if let header, pathFeature != nil, header != name {
            throw .invalid("the path says the feature is \(name) but X-Wharf-Feature says \(header); send one, or make them agree")
        }
        return feature
    }
}

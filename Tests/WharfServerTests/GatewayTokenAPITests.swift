import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOFoundationCompat
import Testing
import WharfCore
import WharfRuntime
import WharfStore
import WharfTesting

/// `GET /v1/instances/{slug}/gateway-token`: a credential, so only for roles that may request changes,
/// and every reading audited.
@Suite("Gateway token API")
struct GatewayTokenAPITests {
    @Test("a requester reads the token derived from the licence key; a viewer may not; no key is a conflict; readings are audited", arguments: TestStore.engines)
    func gatewayToken(engine: EngineKind) async throws {
        try await TestServer.with(engine) { app, adminToken in
            try await app.test(.live) { client in
                let admin = APITests.headers(adminToken())
                _ = try await client.execute(uri: "/v1/customers", method: .post, headers: admin, body: APITests.json(APITests.customer))
                _ = try await client.execute(uri: "/v1/instances", method: .post, headers: admin, body: APITests.json(APITests.instance))
                let keyless = APITests.instance.replacingOccurrences(of: "acme-prod", with: "acme-dev").replacingOccurrences(of: #","licenceKey":"SECRET-LICENCE-KEY-1""#, with: "")
                _ = try await client.execute(uri: "/v1/instances", method: .post, headers: admin, body: APITests.json(keyless))

                var secrets: [Role: String] = [:]
                for role in [Role.requester, .viewer] {
                    let issued = try await client.execute(uri: "/v1/tokens", method: .post, headers: admin, body: APITests.json(#"{"name":"\#(role.rawValue)","role":"\#(role.rawValue)"}"#))
                    secrets[role] = try WharfJSON.decoder().decode(IssuedToken.self, from: Data(buffer: issued.body)).secret
                }
                let read = try await client.execute(uri: "/v1/instances/acme-prod/gateway-token", method: .get, headers: APITests.headers(secrets[.requester]!))
                #expect(read.status == .ok)
                let answer = try WharfJSON.decoder().decode(GatewayTokenAnswer.self, from: Data(buffer: read.body))
                #expect(answer == GatewayTokenAnswer(instance: "acme-prod", token: GatewayToken.derive(licenceKey: "SECRET-LICENCE-KEY-1")))
                #expect(GatewayToken.isWellFormed(answer.token))

                let viewer = try await client.execute(uri: "/v1/instances/acme-prod/gateway-token", method: .get, headers: APITests.headers(secrets[.viewer]!))
                #expect(viewer.status == .forbidden)
                let noKey = try await client.execute(uri: "/v1/instances/acme-dev/gateway-token", method: .get, headers: admin)
                #expect(noKey.status == .conflict && String(buffer: noKey.body).contains("has no licence key"))
                #expect(try await client.execute(uri: "/v1/instances/nobody-here/gateway-token", method: .get, headers: admin).status == .notFound)

                let history = try await client.execute(uri: "/v1/instances/acme-prod/history", method: .get, headers: admin)
                let text = String(buffer: history.body)
                #expect(text.contains("instance.gateway_token_viewed") && !text.contains(answer.token))
            }
        }
    }
}

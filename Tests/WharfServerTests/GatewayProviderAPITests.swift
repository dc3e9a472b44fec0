import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Synchronization
import Testing
import WharfCore
import WharfGateway
import WharfRuntime
import WharfServer
import WharfStore
import WharfTesting

/// The vendor's provider keys, set through the API instead of each replica's environment.
@Suite("Gateway provider API")
struct GatewayProviderAPITests {
    static func call(gateway port: Int) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/messages")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "authorization", value: "Bearer \(GatewayToken.derive(licenceKey: "SECRET-LICENCE-KEY-1"))")
        request.body = .bytes(ByteBuffer(string: GatewayUsageAPITests.message))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }

    @Test("an admin sets a provider's key: sealed at rest, shown by its last four characters, audited without it, and used by the gateway", arguments: TestStore.engines)
    func setProviderKey(engine: EngineKind) async throws {
        try await FakeLLMUpstream.with { upstream in
            let gatewayPort = Mutex(0)
            try await TestServer.with(
                engine, onGatewayListening: { port in gatewayPort.withLock { $0 = port } }, configure: { $0.gateway = GatewayConfiguration(upstreams: [:]) }
            ) { app, adminToken in
                try await app.test(.live) { client in
                    let (operatorToken, _) = try await RequestAPITests.setUp(client, admin: adminToken())
                    let admin = APITests.headers(adminToken())
                    _ = try await client.execute(uri: "/v1/instances/acme-prod", method: .patch, headers: admin, body: APITests.json(#"{"aiGatewayAccess":true}"#))
                    let port = gatewayPort.withLock { $0 }
                    let unconfigured = try await Self.call(gateway: port)
                    #expect(unconfigured.status == 404 && unconfigured.body.contains("no anthropic upstream"), "\(unconfigured.body)")

                    let body = APITests.json(#"{"baseURL":"\#(upstream.baseURL)","apiKey":"\#(upstream.apiKey)"}"#)
                    let byOperator = try await client.execute(uri: "/v1/gateway/providers/anthropic", method: .put, headers: APITests.headers(operatorToken), body: body)
                    #expect(byOperator.status == .forbidden)
                    let invalid = try await client.execute(
                        uri: "/v1/gateway/providers/anthropic", method: .put, headers: admin, body: APITests.json(#"{"baseURL":"ftp://example.com","apiKey":"has a space"}"#)
                    )
                    #expect(invalid.status == .unprocessableContent)
                    #expect(String(buffer: invalid.body).contains("baseURL") && String(buffer: invalid.body).contains("apiKey"), "\(String(buffer: invalid.body))")
                    #expect(try await client.execute(uri: "/v1/gateway/providers/gemini", method: .put, headers: admin, body: body).status == .notFound)

                    let set = try await client.execute(uri: "/v1/gateway/providers/anthropic", method: .put, headers: admin, body: body)
                    #expect(set.status == .ok, "\(String(buffer: set.body))")
                    let provider = try WharfJSON.decoder().decode(GatewayProvider.self, from: Data(buffer: set.body))
                    #expect(provider.baseURL == upstream.baseURL && provider.keyHint == "…" + upstream.apiKey.suffix(4))
                    let listed = String(buffer: try await client.execute(uri: "/v1/gateway/providers", method: .get, headers: admin).body)
                    #expect(listed.contains(provider.keyHint) && !listed.contains(upstream.apiKey))
                    let audit = String(buffer: try await client.execute(uri: "/v1/audit", method: .get, headers: admin).body)
                    #expect(audit.contains("gateway.provider.set") && !audit.contains(upstream.apiKey))

                    // The gateway reads keys again within its cache time; the first call may still see none.
                    let served = try await Poll.until("the gateway uses the key") { () -> Int? in
                        let answer = try await Self.call(gateway: port)
                        return answer.status == 200 ? answer.status : nil
                    }
                    #expect(served == 200 && upstream.requests == 1)

                    let removed = try await client.execute(uri: "/v1/gateway/providers/anthropic", method: .delete, headers: admin)
                    #expect(removed.status == .ok)
                    #expect(try await client.execute(uri: "/v1/gateway/providers/anthropic", method: .delete, headers: admin).status == .notFound)
                }
            }
        }
    }
}

import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import NIOFoundationCompat
import Testing
import WharfCore
import WharfRuntime
import WharfStore
import WharfTesting

/// The HTTP API as a client sees it, on a real port, on both engines.
@Suite("HTTP API")
struct APITests {
    static func json(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    static func headers(_ token: String, json: Bool = true) -> HTTPFields {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if json { headers[.contentType] = "application/json" }
        return headers
    }

    static func problem(_ response: TestResponse) throws -> Problem {
        #expect(response.headers[.contentType] == "application/problem+json")
        return try JSONDecoder().decode(Problem.self, from: Data(buffer: response.body))
    }

    static let customer = #"{"id":"acme","name":"Acme"}"#
    static let instance = #"{"slug":"acme-prod","customerId":"acme","plan":"business","productVersion":"5.2.0","adminEmail":"a@acme.com","licenceKey":"SECRET-LICENCE-KEY-1"}"#

    @Test("roles are enforced and revoked tokens refused", arguments: TestStore.engines)
    func roles(engine: EngineKind) async throws {
        try await TestServer.with(engine) { app, adminToken in
            try await app.test(.live) { client in
                let admin = adminToken()
                let viewer = try await client.execute(uri: "/v1/tokens", method: .post, headers: Self.headers(admin), body: Self.json(#"{"name":"dash","role":"viewer"}"#))
                #expect(viewer.status == .created)
                let issued = try WharfJSON.decoder().decode(IssuedToken.self, from: Data(buffer: viewer.body))

                let forbidden = try await client.execute(uri: "/v1/customers", method: .post, headers: Self.headers(issued.secret), body: Self.json(Self.customer))
                #expect(forbidden.status == .forbidden)
                #expect(try Self.problem(forbidden).code == "forbidden")
                #expect(try await client.execute(uri: "/v1/customers", method: .get, headers: Self.headers(issued.secret)).status == .ok)
                #expect(try await client.execute(uri: "/v1/tokens", method: .get, headers: Self.headers(issued.secret)).status == .forbidden)
                #expect(try await client.execute(uri: "/v1/instances", method: .get).status == .unauthorized)

                let revoked = try await client.execute(uri: "/v1/tokens/\(issued.token.id)", method: .delete, headers: Self.headers(admin))
                #expect(revoked.status == .ok)
                let after = try await client.execute(uri: "/v1/instances", method: .get, headers: Self.headers(issued.secret))
                #expect(after.status == .unauthorized)
                #expect(after.headers[.wwwAuthenticate] != nil)
                let listed = try await client.execute(uri: "/v1/tokens", method: .get, headers: Self.headers(admin))
                #expect(!String(buffer: listed.body).contains(issued.secret))
            }
        }
    }

    @Test("bad input gets a problem detail with the field, never a 5xx, and writes nothing", arguments: TestStore.engines)
    func badInput(engine: EngineKind) async throws {
        try await TestServer.with(engine) { app, adminToken in
            try await app.test(.live) { client in
                let headers = Self.headers(adminToken())
                _ = try await client.execute(uri: "/v1/customers", method: .post, headers: headers, body: Self.json(Self.customer))
                let cases: [(body: String, status: HTTPResponse.Status, code: String, field: String?)] = [
                    (#"{"slug": "acme-prod""#, .badRequest, "malformed_json", nil),
                    (#"[1, 2]"#, .badRequest, "malformed_json", nil),
                    (#"{"slug":"acme-prod","customerId":"acme","plan":"business","productVersion":"5.2.0","adminEmail":"a@acme.com","colour":"red"}"#, .unprocessableContent, "validation_failed", "colour"),
                    (#"{"slug":7,"customerId":"acme","plan":"business","productVersion":"5.2.0","adminEmail":"a@acme.com"}"#, .unprocessableContent, "validation_failed", "slug"),
                    (#"{"slug":"acme-prod","customerId":"acme","plan":"gold","productVersion":"5.2.0","adminEmail":"a@acme.com"}"#, .unprocessableContent, "validation_failed", "plan"),
                    (#"{"slug":"acme-prod","customerId":"acme","plan":"business","productVersion":"5.2.0","adminEmail":"a@acme.com","executors":99999999999999999999}"#, .badRequest, "malformed_json", nil),
                    (#"{"slug":"acme-prod","customerId":"acme","plan":"business","productVersion":"5.2.0","adminEmail":"a@acme.com","maintenanceWindow":{"day":"sunday","startHour":25,"durationHours":2}}"#, .unprocessableContent, "validation_failed", "maintenanceWindow.startHour"),
                    (#"{"slug":"acme-prod","customerId":"acme","plan":"business","productVersion":"5.2.0","adminEmail":"a@acme.com","ingressAllowlist":["10.0.0.0/8","300.1.1.1"]}"#, .unprocessableContent, "validation_failed", "ingressAllowlist[1]"),
                    (#"{"customerId":"acme","plan":"business","productVersion":"5.2.0","adminEmail":"a@acme.com"}"#, .unprocessableContent, "validation_failed", "slug"),
                ]
                for testCase in cases {
                    let response = try await client.execute(uri: "/v1/instances", method: .post, headers: headers, body: Self.json(testCase.body))
                    #expect(response.status == testCase.status, "\(testCase.body)")
                    let problem = try Self.problem(response)
                    #expect(problem.code == testCase.code, "\(testCase.body)")
                    if let field = testCase.field { #expect(problem.errors?.map(\.field) == [field], "\(testCase.body)") }
                }
                let huge = #"{"slug":"acme-prod","customerId":"acme","plan":"business","productVersion":"5.2.0","adminEmail":"a@acme.com","licenceKey":""# + String(repeating: "k", count: 100_000) + #""}"#
                let tooLarge = try await client.execute(uri: "/v1/instances", method: .post, headers: headers, body: Self.json(huge))
                #expect(tooLarge.status == .contentTooLarge)
                var textHeaders = headers
                textHeaders[.contentType] = "text/plain"
                #expect(try await client.execute(uri: "/v1/instances", method: .post, headers: textHeaders, body: Self.json(Self.instance)).status == .unsupportedMediaType)
                let list = try await client.execute(uri: "/v1/instances?limit=0&state=gone", method: .get, headers: headers)
                #expect(list.status == .unprocessableContent)
                #expect(Set(try Self.problem(list).errors?.map(\.field) ?? []) == ["limit", "state"])
                let empty = try await client.execute(uri: "/v1/instances", method: .get, headers: headers)
                #expect(try WharfJSON.decoder().decode(Page<Instance>.self, from: Data(buffer: empty.body)).items.isEmpty)
            }
        }
    }

    @Test("an idempotent create replays, and licence keys never appear in responses", arguments: TestStore.engines)
    func idempotentCreate(engine: EngineKind) async throws {
        try await TestServer.with(engine) { app, adminToken in
            try await app.test(.live) { client in
                var headers = Self.headers(adminToken())
                _ = try await client.execute(uri: "/v1/customers", method: .post, headers: headers, body: Self.json(Self.customer))
                headers[HTTPField.Name("Idempotency-Key")!] = "create-acme-prod-1"
                let first = try await client.execute(uri: "/v1/instances", method: .post, headers: headers, body: Self.json(Self.instance))
                let second = try await client.execute(uri: "/v1/instances", method: .post, headers: headers, body: Self.json(Self.instance))
                #expect(first.status == .created && second.status == .created)
                #expect(first.headers[.location] == "/v1/instances/acme-prod")
                #expect(second.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
                #expect(String(buffer: first.body) == String(buffer: second.body))
                let list = try await client.execute(uri: "/v1/instances", method: .get, headers: headers)
                for body in [first.body, second.body, list.body] { #expect(!String(buffer: body).contains("SECRET-LICENCE-KEY")) }
                let instances = try WharfJSON.decoder().decode(Page<Instance>.self, from: Data(buffer: list.body)).items
                #expect(instances.count == 1)
                #expect(instances.first?.licenceKeyFingerprint?.hasPrefix("lk_") == true)

                // Each instance needs its own licence key: the AI gateway tells instances apart by it.
                let other = Self.instance.replacingOccurrences(of: "acme-prod", with: "acme-zeta")
                let sameKey = try await client.execute(uri: "/v1/instances", method: .post, headers: Self.headers(adminToken()), body: Self.json(other))
                #expect(sameKey.status == .conflict)
                #expect(try Self.problem(sameKey).errors?.map(\.field) == ["licenceKey"])
                let otherKey = other.replacingOccurrences(of: "SECRET-LICENCE-KEY-1", with: "SECRET-LICENCE-KEY-2")
                _ = try await client.execute(uri: "/v1/instances", method: .post, headers: Self.headers(adminToken()), body: Self.json(otherKey))
                let firstPage = try await client.execute(uri: "/v1/instances?limit=1", method: .get, headers: headers)
                let page = try WharfJSON.decoder().decode(Page<Instance>.self, from: Data(buffer: firstPage.body))
                let cursor = try #require(page.nextCursor)
                let secondPage = try await client.execute(uri: "/v1/instances?limit=1&cursor=\(cursor)", method: .get, headers: headers)
                let last = try WharfJSON.decoder().decode(Page<Instance>.self, from: Data(buffer: secondPage.body))
                #expect(page.items.map(\.slug) == ["acme-prod"] && last.items.map(\.slug) == ["acme-zeta"] && last.nextCursor == nil)
                let single = try await client.execute(uri: "/v1/instances/acme-zeta", method: .get, headers: headers)
                #expect(try WharfJSON.decoder().decode(Instance.self, from: Data(buffer: single.body)) == last.items.first)
                let history = try await client.execute(uri: "/v1/instances/acme-prod/history", method: .get, headers: headers)
                #expect(try WharfJSON.decoder().decode(Page<AuditEntry>.self, from: Data(buffer: history.body)).items.map(\.action) == ["instance.create"])
            }
        }
    }

    @Test("serves its OpenAPI document, a landing page and Prometheus metrics without a token")
    func meta() async throws {
        try await TestServer.with(.sqlite) { app, _ in
            try await app.test(.live) { client in
                let document = try await client.execute(uri: "/openapi.json", method: .get)
                let object = try JSONSerialization.jsonObject(with: Data(buffer: document.body)) as? [String: Any]
                #expect(object?["openapi"] as? String == "3.1.0")
                #expect(String(buffer: try await client.execute(uri: "/", method: .get).body).contains("/openapi.json"))
                #expect(try await client.execute(uri: "/v1/customers", method: .get).status == .unauthorized)
                let metrics = try await client.execute(uri: "/metrics", method: .get)
                #expect(metrics.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = String(buffer: metrics.body)
                for series in [
                    "wharf_gateway_requests_in_flight 0.0\n", "# TYPE wharf_gateway_tokens_total counter\n", "process_resident_memory_bytes ",
                    // The API's own requests, by route pattern, errors by the status they were answered with.
                    #"http_server_requests_total{route="/openapi.json",method="GET",status="200"} 1"# + "\n",
                    #"http_server_requests_total{route="/v1/customers",method="GET",status="401"} 1"# + "\n",
                    "http_server_requests_in_flight 1.0\n",
                ] {
                    #expect(text.contains(series), "\(series) in:\n\(text)")
                }
            }
        }
    }
}

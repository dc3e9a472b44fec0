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

/// Requests through the HTTP API: submission, decisions, bad input and the SLA report.
@Suite("Requests API")
struct RequestAPITests {
    static func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
        try WharfJSON.lenientDecoder().decode(type, from: Data(buffer: response.body))
    }

    /// An operator and a requester token, a customer and an instance made active.
    static func setUp(_ client: some TestClientProtocol, admin: String) async throws -> (operator: String, requester: String) {
        var tokens: [String] = []
        for role in ["operator", "requester"] {
            let response = try await client.execute(uri: "/v1/tokens", method: .post, headers: APITests.headers(admin), body: APITests.json(#"{"name":"\#(role)","role":"\#(role)"}"#))
            tokens.append(try decode(IssuedToken.self, response).secret)
        }
        _ = try await client.execute(uri: "/v1/customers", method: .post, headers: APITests.headers(admin), body: APITests.json(APITests.customer))
        _ = try await client.execute(uri: "/v1/instances", method: .post, headers: APITests.headers(admin), body: APITests.json(APITests.instance))
        for event in ["start_provisioning", "provisioned"] {
            _ = try await client.execute(uri: "/v1/instances/acme-prod/events", method: .post, headers: APITests.headers(admin), body: APITests.json(#"{"event":"\#(event)"}"#))
        }
        return (tokens[0], tokens[1])
    }

    @Test("a requester submits, an operator approves or rejects, the report counts them", arguments: TestStore.engines)
    func flow(engine: EngineKind) async throws {
        try await TestServer.with(engine) { app, adminToken in
            try await app.test(.live) { client in
                let (operatorToken, requester) = try await Self.setUp(client, admin: adminToken())
                let submitted = try await client.execute(
                    uri: "/v1/requests", method: .post, headers: APITests.headers(requester),
                    body: APITests.json(#"{"kind":"add_ingress_cidrs","instance":"acme-prod","parameters":{"cidrs":["192.0.2.7/24"]}}"#)
                )
                #expect(submitted.status == .created)
                let request = try Self.decode(LifecycleRequest.self, submitted)
                #expect(submitted.headers[.location] == "/v1/requests/\(request.id)")
                #expect(request.state == .submitted && request.parameters.cidrs == ["192.0.2.0/24"])

                let byRequester = try await client.execute(uri: "/v1/requests/\(request.id)/approve", method: .post, headers: APITests.headers(requester))
                #expect(byRequester.status == .forbidden)
                let approved = try await client.execute(uri: "/v1/requests/\(request.id)/approve", method: .post, headers: APITests.headers(operatorToken, json: false))
                #expect(approved.status == .ok)
                #expect(try Self.decode(LifecycleRequest.self, approved).state == .inProgress)
                let twice = try await client.execute(uri: "/v1/requests/\(request.id)/approve", method: .post, headers: APITests.headers(operatorToken, json: false))
                #expect(twice.status == .conflict)
                #expect(try APITests.problem(twice).code == "illegal_transition")

                let open = try await client.execute(uri: "/v1/requests?open=true&instance=acme-prod", method: .get, headers: APITests.headers(requester))
                #expect(try Self.decode(Page<LifecycleRequest>.self, open).items.map(\.id) == [request.id])

                let report = try await client.execute(uri: "/v1/reports/sla", method: .get, headers: APITests.headers(requester))
                #expect(report.status == .ok)
                let sla = try Self.decode(SLAReport.self, report)
                #expect(sla.open.map(\.id) == [request.id] && sla.open.first?.clock == .resolution)
                #expect(sla.kinds.first { $0.kind == .addIngressCIDRs }?.response.met == 1)
            }
        }
    }

    @Test("bad requests are 4xx problem details naming the field, and change nothing", arguments: TestStore.engines)
    func badInput(engine: EngineKind) async throws {
        try await TestServer.with(engine) { app, adminToken in
            try await app.test(.live) { client in
                let (operatorToken, requester) = try await Self.setUp(client, admin: adminToken())
                let cases: [(body: String, status: HTTPResponse.Status, field: String?)] = [
                    (#"{"kind":"make_coffee","instance":"acme-prod"}"#, .unprocessableContent, "kind"),
                    (#"{"kind":"suspend","instance":"acme-prod"}"#, .unprocessableContent, "parameters.reason"),
                    (#"{"kind":"suspend","instance":"acme-prod","parameters":{"reason":"x","cidrs":["10.0.0.0/8"]}}"#, .unprocessableContent, "parameters.cidrs"),
                    (#"{"kind":"tear_down","instance":"acme-prod","parameters":{"confirm":"acme"}}"#, .unprocessableContent, "parameters.confirm"),
                    (#"{"kind":"resume","instance":"nobody-here"}"#, .notFound, nil),
                    (#"{"kind":"resume","instance":"acme-prod"}"#, .conflict, nil),
                    (#"{"kind":"patch_upgrade","instance":"acme-prod","parameters":{"version":"5.2.1","releasedAt":"2026-11-01T00:00:00Z"}}"#, .forbidden, nil),
                ]
                for (body, status, field) in cases {
                    let response = try await client.execute(uri: "/v1/requests", method: .post, headers: APITests.headers(requester), body: APITests.json(body))
                    #expect(response.status == status, "\(body)")
                    if let field { #expect(try APITests.problem(response).errors?.map(\.field).contains(field) == true, "\(body)") }
                }
                let none = try await client.execute(uri: "/v1/requests", method: .get, headers: APITests.headers(operatorToken))
                #expect(try Self.decode(Page<LifecycleRequest>.self, none).items.isEmpty)
                let badExtend = try await client.execute(
                    uri: "/v1/requests/req_missing/extend", method: .post, headers: APITests.headers(operatorToken), body: APITests.json(#"{"duration":"2 days","reason":"x"}"#)
                )
                #expect(badExtend.status == .unprocessableContent)
                #expect(try APITests.problem(badExtend).errors?.first?.field == "duration")
                let badPeriod = try await client.execute(uri: "/v1/reports/sla?from=yesterday", method: .get, headers: APITests.headers(operatorToken))
                #expect(badPeriod.status == .unprocessableContent)
            }
        }
    }

    @Test("a password reset link is shown once and its token redeems once, without an API token", arguments: TestStore.engines)
    func passwordReset(engine: EngineKind) async throws {
        try await TestServer.with(engine) { app, adminToken in
            try await app.test(.live) { client in
                let (_, requester) = try await Self.setUp(client, admin: adminToken())
                let submitted = try await client.execute(
                    uri: "/v1/requests", method: .post, headers: APITests.headers(requester), body: APITests.json(#"{"kind":"reset_admin_password","instance":"acme-prod"}"#)
                )
                let request = try Self.decode(LifecycleRequest.self, submitted)
                let link = try #require(request.passwordReset)
                #expect(request.state == .done && link.email == "a@acme.com")
                let token = String(link.url.split(separator: "token=").last!)
                let shown = try await client.execute(uri: "/v1/requests/\(request.id)", method: .get, headers: APITests.headers(requester))
                #expect(!String(buffer: shown.body).contains(token))

                let body = APITests.json(#"{"token":"\#(token)"}"#)
                let redeemed = try await client.execute(uri: "/v1/password-resets/redeem", method: .post, headers: [.contentType: "application/json"], body: body)
                #expect(redeemed.status == .ok)
                #expect(try Self.decode(PasswordResetGrant.self, redeemed) == PasswordResetGrant(instance: "acme-prod", email: "a@acme.com"))
                let again = try await client.execute(uri: "/v1/password-resets/redeem", method: .post, headers: [.contentType: "application/json"], body: body)
                #expect(again.status == .notFound)
            }
        }
    }
}

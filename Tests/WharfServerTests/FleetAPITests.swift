import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOFoundationCompat
import Synchronization
import Testing
import WharfCore
import WharfRuntime
import WharfTesting

/// The whole control plane as `wharf serve` runs it: an instance created through the API runs as a
/// real product process, is reachable through the edge, and reports its health and logs.
@Suite("Fleet through the API")
struct FleetAPITests {
    @Test("create → active and reachable at <slug>.localhost on the edge; health and logs; suspend shows the 503 page", arguments: TestStore.engines)
    func createCheckSuspend(engine: EngineKind) async throws {
        let edgePort = Mutex(0)
        try await TestServer.with(engine, reconcile: true, onEdgeListening: { port in edgePort.withLock { $0 = port } }) { app, adminToken in
            try await app.test(.live) { client in
                let admin = APITests.headers(adminToken())
                try await Self.createActiveInstance(client, admin: admin)
                let edge = edgePort.withLock { $0 }
                let about = try Self.get("/about", host: "acme-prod.localhost:\(edge)", edge: edge)
                #expect(about.hasPrefix("HTTP/1.1 200") && about.contains(LicenceKey.fingerprint("SECRET-LICENCE-KEY-1")))

                let health = try RequestAPITests.decode(InstanceHealth.self, try await client.execute(uri: "/v1/instances/acme-prod/health", method: .get, headers: admin))
                #expect(health.status == .healthy && health.healthz == "ok" && health.process.pid != nil)
                #expect(health.version == InstanceHealth.Version(desired: "5.2.0", reported: "5.2.0"))
                #expect(health.lastEvents.map(\.event) == ["process_started"])
                let logs = try RequestAPITests.decode(InstanceLogs.self, try await client.execute(uri: "/v1/instances/acme-prod/logs?lines=5", method: .get, headers: admin))
                #expect(!logs.lines.isEmpty && logs.lines.count <= 5 && logs.offset > 0)
                let bad = try await client.execute(uri: "/v1/instances/acme-prod/logs?lines=0", method: .get, headers: admin)
                #expect(try bad.status == .unprocessableContent && APITests.problem(bad).errors?.first?.field == "lines")

                let suspend = try await client.execute(
                    uri: "/v1/instances/acme-prod/events", method: .post, headers: admin, body: APITests.json(#"{"event":"suspend"}"#)
                )
                #expect(suspend.status == .ok)
                let suspended = try await Poll.until("the edge shows the suspended page") { () -> String? in
                    let answer = try Self.get("/", host: "acme-prod.localhost", edge: edge)
                    return answer.hasPrefix("HTTP/1.1 503") ? answer : nil
                }
                #expect(suspended.contains("is suspended"))
                let stopped = try RequestAPITests.decode(InstanceHealth.self, try await client.execute(uri: "/v1/instances/acme-prod/health", method: .get, headers: admin))
                #expect(stopped.status == .stopped)
            }
        }
    }

    @Test("custom domain, allowlist and licence requests complete once the edge and the product show them", arguments: TestStore.engines)
    func requestsTakeEffect(engine: EngineKind) async throws {
        let edgePort = Mutex(0)
        try await TestServer.with(engine, reconcile: true, onEdgeListening: { port in edgePort.withLock { $0 = port } }) { app, adminToken in
            try await app.test(.live) { client in
                let admin = APITests.headers(adminToken())
                try await Self.createActiveInstance(client, admin: admin)
                let issued = try await client.execute(uri: "/v1/tokens", method: .post, headers: admin, body: APITests.json(#"{"name":"customer","role":"requester"}"#))
                let requester = APITests.headers(try RequestAPITests.decode(IssuedToken.self, issued).secret)
                let edge = edgePort.withLock { $0 }

                let domain = try await Self.approved(client, #"{"kind":"add_custom_domain","instance":"acme-prod","parameters":{"domain":"Shop.Acme.example"}}"#, requester, admin)
                #expect(try Self.get("/", host: "shop.acme.example", edge: edge).hasPrefix("HTTP/1.1 404"))
                let pending = try RequestAPITests.decode(Instance.self, try await client.execute(uri: "/v1/instances/acme-prod", method: .get, headers: requester))
                let entry = try #require(pending.customDomains.first)
                #expect(entry.domain == "shop.acme.example" && entry.verification == .pending && entry.verificationToken.count == 32)
                #expect(try await Self.state(of: domain, client, admin) == .inProgress)

                let verify = "/v1/instances/acme-prod/domains/shop.acme.example/verify"
                let wrong = try await client.execute(uri: verify, method: .post, headers: requester, body: APITests.json(#"{"token":"0123"}"#))
                #expect(try wrong.status == .unprocessableContent && APITests.problem(wrong).errors?.first?.field == "token")
                let unknown = try await client.execute(
                    uri: "/v1/instances/acme-prod/domains/other.example/verify", method: .post, headers: requester, body: APITests.json(#"{"token":"0123"}"#)
                )
                #expect(unknown.status == .notFound)
                let verified = try await client.execute(uri: verify, method: .post, headers: requester, body: APITests.json(#"{"token":"\#(entry.verificationToken)"}"#))
                #expect(try RequestAPITests.decode(Instance.self, verified).customDomains.first?.verification == .verified)
                try await Self.waitUntilDone(domain, client, admin)
                #expect(try Self.get("/about", host: "shop.acme.example", edge: edge).hasPrefix("HTTP/1.1 200"))
                let audit = try RequestAPITests.decode(Page<AuditEntry>.self, try await client.execute(uri: "/v1/instances/acme-prod/history", method: .get, headers: admin))
                #expect(audit.items.contains { $0.action == "instance.domain_verified" && $0.actor.contains("customer") })

                let allow = try await Self.approved(client, #"{"kind":"add_ingress_cidrs","instance":"acme-prod","parameters":{"cidrs":["127.0.0.2/32"]}}"#, requester, admin)
                try await Self.waitUntilDone(allow, client, admin)
                #expect(try Self.get("/", host: "acme-prod.localhost", edge: edge, from: "127.0.0.2").hasPrefix("HTTP/1.1 200"))
                #expect(try Self.get("/", host: "acme-prod.localhost", edge: edge, from: "127.0.0.3").hasPrefix("HTTP/1.1 403"))

                let licence = try await Self.approved(client, #"{"kind":"update_licence_key","instance":"acme-prod","parameters":{"licenceKey":"SECRET-LICENCE-KEY-2"}}"#, requester, admin)
                try await Self.waitUntilDone(licence, client, admin)
                #expect(try Self.get("/about", host: "acme-prod.localhost", edge: edge, from: "127.0.0.2").contains(LicenceKey.fingerprint("SECRET-LICENCE-KEY-2")))
            }
        }
    }

    /// Creates customer `acme` and instance `acme-prod`, and waits for the reconciler to make it active.
    static func createActiveInstance(_ client: some TestClientProtocol, admin: HTTPFields) async throws {
        _ = try await client.execute(uri: "/v1/customers", method: .post, headers: admin, body: APITests.json(APITests.customer))
        #expect(try await client.execute(uri: "/v1/instances", method: .post, headers: admin, body: APITests.json(APITests.instance)).status == .created)
        _ = try await Poll.until("the instance is active") { () -> Bool? in
            let instance = try RequestAPITests.decode(Instance.self, try await client.execute(uri: "/v1/instances/acme-prod", method: .get, headers: admin))
            return instance.state == .active ? true : nil
        }
    }

    /// Submits a request as the requester and, unless policy approved it, approves it as the admin; returns its id.
    static func approved(_ client: some TestClientProtocol, _ submission: String, _ requester: HTTPFields, _ admin: HTTPFields) async throws -> String {
        let submitted = try await client.execute(uri: "/v1/requests", method: .post, headers: requester, body: APITests.json(submission))
        let request = try RequestAPITests.decode(LifecycleRequest.self, submitted)
        guard request.state == .submitted else { return request.id }  // approved by policy
        var approver = admin
        approver[.contentType] = nil
        #expect(try await client.execute(uri: "/v1/requests/\(request.id)/approve", method: .post, headers: approver).status == .ok)
        return request.id
    }

    static func state(of request: String, _ client: some TestClientProtocol, _ admin: HTTPFields) async throws -> RequestState {
        try RequestAPITests.decode(LifecycleRequest.self, try await client.execute(uri: "/v1/requests/\(request)", method: .get, headers: admin)).state
    }

    static func waitUntilDone(_ request: String, _ client: some TestClientProtocol, _ admin: HTTPFields) async throws {
        _ = try await Poll.until("request \(request) is done") { () -> Bool? in
            let state = try await state(of: request, client, admin)
            #expect(state == .inProgress || state == .done)
            return state == .done ? true : nil
        }
    }

    /// One request through the edge on its own connection, as a client at `source` would send it.
    static func get(_ path: String, host: String, edge: Int, from source: String? = nil) throws -> String {
        let connection = try RawConnection(port: edge, from: source)
        try connection.send("GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n")
        return try connection.readToEnd()
    }
}

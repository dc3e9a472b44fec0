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
                _ = try await client.execute(uri: "/v1/customers", method: .post, headers: admin, body: APITests.json(APITests.customer))
                #expect(try await client.execute(uri: "/v1/instances", method: .post, headers: admin, body: APITests.json(APITests.instance)).status == .created)
                _ = try await Poll.until("the instance is active") { () -> Bool? in
                    let instance = try RequestAPITests.decode(Instance.self, try await client.execute(uri: "/v1/instances/acme-prod", method: .get, headers: admin))
                    return instance.state == .active ? true : nil
                }
                let edge = edgePort.withLock { $0 }
                let page = try RawConnection(port: edge)
                try page.send("GET /about HTTP/1.1\r\nHost: acme-prod.localhost:\(edge)\r\nConnection: close\r\n\r\n")
                let about = try page.readToEnd()
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
                    let connection = try RawConnection(port: edge)
                    try connection.send("GET / HTTP/1.1\r\nHost: acme-prod.localhost\r\nConnection: close\r\n\r\n")
                    let answer = try connection.readToEnd()
                    return answer.hasPrefix("HTTP/1.1 503") ? answer : nil
                }
                #expect(suspended.contains("is suspended"))
                let stopped = try RequestAPITests.decode(InstanceHealth.self, try await client.execute(uri: "/v1/instances/acme-prod/health", method: .get, headers: admin))
                #expect(stopped.status == .stopped)
            }
        }
    }
}

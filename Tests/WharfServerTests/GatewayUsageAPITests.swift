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

/// `wharf serve` whole: an operator sets an instance's AI limits, the instance calls the gateway on its
/// own port, and the usage it made is reported by the control plane.
@Suite("Gateway usage API")
struct GatewayUsageAPITests {
    /// A small Messages body; the fake answers it with eight words.
    static let message = #"{"model":"claude-sonnet-4-5","max_tokens":100,"messages":[{"role":"user","content":"Say hello"}]}"#

    @Test("limits set through PATCH bind at the gateway, and GET /v1/gateway/usage reports the calls by instance, feature and day", arguments: TestStore.engines)
    func limitsAndUsage(engine: EngineKind) async throws {
        try await FakeLLMUpstream.with { upstream in
            let gatewayPort = Mutex(0)
            try await TestServer.with(
                engine, onGatewayListening: { port in gatewayPort.withLock { $0 = port } },
                configure: { $0.gateway = GatewayConfiguration(upstreams: [.anthropic: .init(baseURL: upstream.baseURL, apiKey: upstream.apiKey)]) }
            ) { app, adminToken in
                try await app.test(.live) { client in
                    let admin = APITests.headers(adminToken())
                    _ = try await client.execute(uri: "/v1/customers", method: .post, headers: admin, body: APITests.json(APITests.customer))
                    _ = try await client.execute(uri: "/v1/instances", method: .post, headers: admin, body: APITests.json(APITests.instance))

                    let invalid = try await client.execute(
                        uri: "/v1/instances/acme-prod", method: .patch, headers: admin,
                        body: APITests.json(#"{"aiGatewayLimits":{"chat":{"requests":{"day":-1},"concurrency":0}}}"#)
                    )
                    #expect(invalid.status == .unprocessableContent)
                    let problem = String(buffer: invalid.body)
                    #expect(problem.contains("aiGatewayLimits.chat.requests.day") && problem.contains("aiGatewayLimits.chat.concurrency"), "\(problem)")
                    let unknown = try await client.execute(
                        uri: "/v1/instances/acme-prod", method: .patch, headers: admin, body: APITests.json(#"{"aiGatewayLimits":{"chat":{"requests":{"week":5}}}}"#)
                    )
                    #expect(unknown.status.code >= 400 && unknown.status.code < 500)
                    #expect(String(buffer: unknown.body).contains("week"), "\(String(buffer: unknown.body))")
                    let unknownFeature = try await client.execute(
                        uri: "/v1/instances/acme-prod", method: .patch, headers: admin, body: APITests.json(#"{"aiGatewayLimits":{"chatt":{}}}"#)
                    )
                    #expect(unknownFeature.status.code >= 400 && unknownFeature.status.code < 500)
                    #expect(String(buffer: unknownFeature.body).contains("chatt"), "\(String(buffer: unknownFeature.body))")

                    let patched = try await client.execute(
                        uri: "/v1/instances/acme-prod", method: .patch, headers: admin,
                        body: APITests.json(#"{"aiGatewayAccess":true,"aiGatewayLimits":{"chat":{"requests":{"day":2}}}}"#)
                    )
                    #expect(patched.status == .ok, "\(String(buffer: patched.body))")
                    let instance = try WharfJSON.decoder().decode(Instance.self, from: Data(buffer: patched.body))
                    #expect(instance.aiGatewayLimits[.chat].requests?.day == 2)

                    let gateway = "http://127.0.0.1:\(gatewayPort.withLock { $0 })"
                    var statuses: [Int] = []
                    for _ in 0..<3 {
                        var request = HTTPClientRequest(url: gateway + "/v1/messages")
                        request.method = .POST
                        request.headers.add(name: "content-type", value: "application/json")
                        request.headers.add(name: "authorization", value: "Bearer \(GatewayToken.derive(licenceKey: "SECRET-LICENCE-KEY-1"))")
                        request.body = .bytes(ByteBuffer(string: Self.message))
                        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
                        _ = try await response.body.collect(upTo: 1 << 20)
                        statuses.append(Int(response.status.code))
                    }
                    #expect(statuses == [200, 200, 429])

                    let report = try await Poll.until("the three calls are recorded") { () -> GatewayUsageReport? in
                        let answer = try await client.execute(uri: "/v1/gateway/usage?instance=acme-prod", method: .get, headers: admin)
                        let report = try WharfJSON.decoder().decode(GatewayUsageReport.self, from: Data(buffer: answer.body))
                        return report.days.first?.requests == 3 ? report : nil
                    }
                    let today = report.days[0]
                    #expect(today.instance == "acme-prod" && today.feature == .chat && today.errors == 1 && today.countedLocally == 0)
                    #expect(today.completionTokens == 16 && today.promptTokens > 0)
                    #expect(today.day == report.until)

                    let badDay = try await client.execute(uri: "/v1/gateway/usage?since=yesterday", method: .get, headers: admin)
                    #expect(badDay.status == .unprocessableContent && String(buffer: badDay.body).contains("YYYY-MM-DD"))
                    let history = try await client.execute(uri: "/v1/instances/acme-prod/history", method: .get, headers: admin)
                    #expect(String(buffer: history.body).contains("aiGatewayLimits"))
                }
            }
        }
    }
}

import Foundation
import Testing
import WharfCore
import WharfRuntime
import WharfStore
import WharfTesting

@testable import wharf

/// `wharf gateway serve`: the real binary, on the runtime, against a Wharf database and the fake upstream.
@Suite("wharf gateway serve")
struct GatewayServeTests {
    @Test("serves an instance by its derived token through the fake upstream, counts its calls in /metrics, and SIGTERM exits 0")
    func serves() async throws {
        let work = FileManager.default.temporaryDirectory.appending(path: "wharf-gateway-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let database = work.appending(path: "wharf.sqlite").path
        let masterKey = SecretBox.generateBase64Key()
        try await TestStore.run(.sqlite(path: database), now: Date.init) { store in
            _ = try await store.createCustomer(Fixtures.customer(), actor: Fixtures.operatorActor)
            var draft = Fixtures.instance("acme-prod")
            draft.licenceKey = "ACME-GATEWAY-KEY-1"
            draft.aiGatewayAccess = true
            _ = try await store.createInstance(draft, actor: Fixtures.operatorActor)
        }
        try await FakeLLMUpstream.with { upstream in
            let port = try LoopbackPort.free()
            let adminPort = try LoopbackPort.free()
            var environment = ProcessInfo.processInfo.environment
            environment["SQLITE_PATH"] = database
            environment["WHARF_AI_OPENAI_KEY"] = upstream.apiKey
            environment["WHARF_AI_OPENAI_URL"] = upstream.baseURL
            environment["LOG_LEVEL"] = "error"
            environment["DIAGNOSTICS_SECRET"] = "gateway-diagnostics-secret"
            let output = work.appending(path: "gateway.out").path
            let missingKey = try Spawn.start([MSPUpTests.wharf, "gateway", "serve", "--port", "\(port)", "--admin-port", "\(adminPort)"], environment: environment, outputPath: output, newSession: false)
            #expect(try await RawConnection.offPool { Spawn.wait(missingKey) } == 1)
            #expect(try String(contentsOfFile: output, encoding: .utf8).contains("WHARF_MASTER_KEY must be set"))

            environment["WHARF_MASTER_KEY"] = masterKey
            let gateway = try Spawn.start([MSPUpTests.wharf, "gateway", "serve", "--port", "\(port)", "--admin-port", "\(adminPort)"], environment: environment, outputPath: output, newSession: false)
            var stopped = false
            defer { if !stopped { kill(gateway, SIGKILL); _ = Spawn.wait(gateway) } }
            let token = GatewayToken.derive(licenceKey: "ACME-GATEWAY-KEY-1")
            let body = #"{"model":"gpt-4.1","messages":[{"role":"user","content":"hi"}]}"#
            let answer = try await Poll.until("the gateway answers", within: .seconds(60)) { () -> String? in
                try? await RawConnection.offPool {
                    try LocalTools.output([
                        "curl", "-fsS", "-H", "Authorization: Bearer \(token)", "-H", "Content-Type: application/json", "-d", body,
                        "http://127.0.0.1:\(port)/v1/chat/completions",
                    ])
                }
            }
            #expect(answer.contains(#""completion_tokens":8"#), "\(answer)")
            // The runtime's own port serves the admin routes beside the gateway's.
            let version = try await RawConnection.offPool { try LocalTools.output(["curl", "-fsS", "http://127.0.0.1:\(adminPort)/-/version"]) }
            #expect(version.contains("wharf-gateway"), "\(version)")
            #expect(upstream.requests == 1)

            // The gateway's calls are in the admin port's Prometheus metrics, refusals included.
            let refused = try await RawConnection.offPool {
                try LocalTools.output([
                    "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer wharf_ai_unknown", "-H", "Content-Type: application/json", "-d", body,
                    "http://127.0.0.1:\(port)/v1/chat/completions",
                ])
            }
            #expect(refused == "401")
            let metrics = try await RawConnection.offPool { try LocalTools.output(["curl", "-fsS", "http://127.0.0.1:\(adminPort)/metrics"]) }
            for series in [
                #"wharf_gateway_requests_total{route="/v1/chat/completions",status="200"} 1"#,
                #"wharf_gateway_requests_total{route="/v1/chat/completions",status="401"} 1"#,
                #"wharf_gateway_tokens_total{api="openai",feature="chat",kind="completion"} 8"#,
                #"wharf_gateway_overhead_seconds_count{api="openai"} 1"#,
                #"wharf_gateway_requests_in_flight 0.0"#,
                #"wharf_gateway_upstream_errors_total{api="openai",kind="busy"} 0"#,
            ] {
                #expect(metrics.contains(series + "\n"), "\(series) in:\n\(metrics)")
            }
            kill(gateway, SIGTERM)
            #expect(try await RawConnection.offPool { Spawn.wait(gateway) } == 0)
            stopped = true
        }
    }
}

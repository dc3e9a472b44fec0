import NIOHTTP1
import Foundation
import RuntimeSample
import Testing
import WharfRuntime
import WharfTesting

@Suite("Endpoints every service gets")
struct EndpointTests {
    static let bearer = [("Authorization", "Bearer \(TestRuntime.diagnosticsSecret)")]

    @Test("/-/version needs no secret and reports the service, version and environment")
    func version() async throws {
        try await TestRuntime.with(SampleService.self, environment: ["SERVICE_VERSION": "1.2.4"]) { service in
            let reply = try await service.request(.GET, "/-/version")
            #expect(reply.status == 200)
            #expect(reply.body == #"{"environment":"test-env","service":"sample","version":"1.2.4"}"# || reply.body.contains(#""version":"1.2.4""#))
        }
    }

    @Test("/-/healthz needs the diagnostics secret and answers 200 or 503 with named checks")
    func health() async throws {
        try await TestRuntime.with(SampleService.self) { service in
            #expect(try await service.request(.GET, "/-/healthz").status == 401)
            #expect(try await service.request(.GET, "/-/healthz", headers: [("Authorization", "Bearer wrong-secret-wrong-secret")]).status == 401)
            let healthy = try await service.request(.GET, "/-/healthz", headers: Self.bearer)
            #expect(healthy.status == 200)
            let report = try JSONDecoder().decode(HealthReport.self, from: Data(healthy.body.utf8))
            #expect(report.checks["sample"]?.ok == true)
        }
        try await TestRuntime.with(SampleService.self, environment: ["SAMPLE_UNHEALTHY": "1"]) { service in
            let sick = try await service.request(.GET, "/-/healthz", headers: Self.bearer)
            #expect(sick.status == 503)
            #expect(sick.body.contains("SAMPLE_UNHEALTHY is set"))
        }
    }

    @Test("requests get an id and a trace context, in the response headers and the logger")
    func correlation() async throws {
        try await TestRuntime.with(SampleService.self, environment: ["GREETING": "moin"]) { service in
            let incoming = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
            let reply = try await service.request(.GET, "/hello", headers: [("X-Request-Id", "req-42"), ("traceparent", incoming)])
            let body = try JSONDecoder().decode([String: String].self, from: Data(reply.body.utf8))
            #expect(body["greeting"] == "moin" && body["requestId"] == "req-42")
            #expect(body["traceId"] == "0af7651916cd43dd8448eb211c80319c" && body["loggedTraceId"] == body["traceId"])
            #expect(reply.headers.first(name: "X-Request-Id") == "req-42")
            let traceparent = try #require(reply.headers.first(name: "traceparent"))
            #expect(traceparent.hasPrefix("00-0af7651916cd43dd8448eb211c80319c-") && !traceparent.contains("b7ad6b7169203331"))

            let fresh = try await service.request(.GET, "/hello", headers: [("X-Request-Id", "bad id with spaces"), ("traceparent", "garbage")])
            let freshBody = try JSONDecoder().decode([String: String].self, from: Data(fresh.body.utf8))
            #expect(freshBody["requestId"]?.count == 16 && freshBody["requestId"] != "bad id with spaces")
            #expect(freshBody["traceId"]?.count == 32 && freshBody["traceId"] != "0af7651916cd43dd8448eb211c80319c")
        }
    }

    @Test("/metrics counts requests per route and status, with latency, requests in flight and process metrics")
    func metrics() async throws {
        try await TestRuntime.with(SampleService.self) { service in
            for _ in 0..<3 { _ = try await service.request(.GET, "/hello") }
            _ = try await service.request(.GET, "/nowhere")
            let text = try await service.request(.GET, "/metrics").body
            #expect(text.contains(#"http_server_requests_total{route="/hello",method="GET",status="200"} 3"#))
            #expect(text.contains(#"http_server_requests_total{route="NotFound",method="GET",status="404"} 1"#))
            #expect(text.contains(#"http_server_request_duration_seconds_count{route="/hello",method="GET",status="200"} 3"#))
            #expect(text.contains("# TYPE http_server_request_duration_seconds histogram"))
            #expect(text.contains("http_server_requests_in_flight 1"))
            for name in ["process_cpu_seconds_total", "process_resident_memory_bytes", "process_start_time_seconds", "process_open_fds"] {
                #expect(text.contains("\n\(name) "), "\(name)")
            }
        }
    }
}

import Foundation
import NIOHTTP1
import RuntimeSample
import Testing
import WharfRuntime
import WharfTesting

@Suite("OpenTelemetry traces")
struct TracingTests {
    @Test("with OTEL_EXPORTER_OTLP_ENDPOINT set, each request is a server span exported over OTLP/HTTP, continuing the caller's trace")
    func exports() async throws {
        try await HTTPReceiver.with(path: "v1/traces") { collector, url in
            let endpoint = String(url.dropLast("/v1/traces".count))
            let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
            let reply = try await TestRuntime.with(SampleService.self, environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": endpoint]) { service in
                try await service.request(.GET, "/hello", headers: [("traceparent", "00-\(traceID)-00f067aa0ba902b7-01")])
            }
            // The service has shut down, and its exporter stopped last, after flushing the spans.
            let answered = try #require(reply.headers.first(name: "traceparent"))
            #expect(answered.hasPrefix("00-\(traceID)-") && !answered.contains("00f067aa0ba902b7"))
            #expect(collector.contentTypes.allSatisfy { $0 == "application/x-protobuf" } && !collector.received.isEmpty)
            let exported = collector.received.reduce(Data(), +)
            let traceBytes = Data(stride(from: 0, to: traceID.count, by: 2).map { offset in
                UInt8(traceID.dropFirst(offset).prefix(2), radix: 16)!
            })
            #expect(exported.range(of: traceBytes) != nil, "the span carries the caller's trace id")
            #expect(exported.range(of: Data("GET /hello".utf8)) != nil, "the span is named after the route")
            #expect(exported.range(of: Data("sample".utf8)) != nil, "the resource names the service")
        }
    }
}

import Foundation
import Logging
import Synchronization
import Testing
import WharfRuntime

@Suite("JSON log lines")
struct JSONLogHandlerTests {
    /// Collects what the handler writes.
    final class Sink: Sendable {
        let lines = Mutex<[Data]>([])
        func write(_ data: Data) { lines.withLock { $0.append(data) } }
        var objects: [[String: Any]] {
            lines.withLock { $0 }.map { (try? JSONSerialization.jsonObject(with: $0)) as? [String: Any] ?? [:] }
        }
    }

    @Test func oneObjectPerLineWithMetadataAtTheTopLevel() throws {
        let sink = Sink()
        var logger = Logger(label: "wharf.test") { label in JSONLogHandler(label: label, level: .info, write: sink.write) }
        logger[metadataKey: "request.id"] = "r-1"
        logger.info("created instance", metadata: ["slug": "acme", "nested": ["count": "2"], "list": ["a", "b"]])

        let raw = try #require(sink.lines.withLock { $0.first })
        #expect(raw.last == 0x0A)
        #expect(!raw.dropLast().contains(0x0A), "a line must not contain a newline")
        let object = try #require(sink.objects.first)
        #expect(object["message"] as? String == "created instance")
        #expect(object["level"] as? String == "info")
        #expect(object["logger"] as? String == "wharf.test")
        #expect(object["slug"] as? String == "acme")
        #expect(object["request.id"] as? String == "r-1")
        #expect((object["nested"] as? [String: Any])?["count"] as? String == "2")
        #expect(object["list"] as? [String] == ["a", "b"])
        #expect((object["source"] as? String)?.hasPrefix("JSONLogHandlerTests.swift:") == true)
        let timestamp = try #require(object["timestamp"] as? String)
        #expect(try Date(timestamp, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) <= Date())
    }

    @Test func levelsBelowTheThresholdAreDropped() {
        let sink = Sink()
        let logger = Logger(label: "wharf.test") { label in JSONLogHandler(label: label, level: .warning, write: sink.write) }
        logger.info("quiet")
        logger.error("loud \"quoted\"\nmultiline")
        #expect(sink.objects.map { $0["message"] as? String } == ["loud \"quoted\"\nmultiline"])
    }
}

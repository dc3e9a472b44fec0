/// A W3C trace context (`traceparent: 00-<trace id>-<span id>-<flags>`): continued from the caller when
/// it sent one, started otherwise. Each request is a span of its own; `outgoingHeader` is what a service
/// sends on its calls so they join the same trace.
public struct TraceContext: Sendable, Equatable {
    public var traceID: String
    public var spanID: String
    /// The caller's span, when the trace came in.
    public var parentSpanID: String?
    public var sampled: Bool

    /// Placeholder until the correlation middleware sets the real one.
    static let none = TraceContext(traceID: "", spanID: "", parentSpanID: nil, sampled: false)

    init(traceID: String, spanID: String, parentSpanID: String?, sampled: Bool) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.sampled = sampled
    }

    /// A new span: a child of `incoming` when it parses, the root of a new trace otherwise.
    public init(continuing incoming: String?) {
        spanID = FastIdentifier.hex(words: 1)
        if let incoming, let parsed = Self.parse(incoming) {
            traceID = parsed.traceID
            parentSpanID = parsed.spanID
            sampled = parsed.sampled
        } else {
            traceID = FastIdentifier.hex(words: 2)
            parentSpanID = nil
            sampled = true
        }
    }

    /// The span a `traceparent` header names (as a tracer's propagator wrote it), or nil if it is malformed.
    init?(header: String) {
        guard let parsed = Self.parse(header) else { return nil }
        self.init(traceID: parsed.traceID, spanID: parsed.spanID, parentSpanID: nil, sampled: parsed.sampled)
    }

    /// The `traceparent` value naming this span, for responses and outgoing calls.
    public var header: String { "00-\(traceID)-\(spanID)-\(sampled ? "01" : "00")" }

    static func parse(_ value: String) -> (traceID: String, spanID: String, sampled: Bool)? {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].count == 2, parts[0] != "ff", parts[1].count == 32, parts[2].count == 16, parts[3].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isHexDigit && !$0.isUppercase } }),
            parts[1] != String(repeating: "0", count: 32), parts[2] != String(repeating: "0", count: 16),
            let flags = UInt8(parts[3], radix: 16)
        else { return nil }
        return (String(parts[1]), String(parts[2]), flags & 1 == 1)
    }
}

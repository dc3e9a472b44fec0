/// Alerts on top of the defaults every environment gets (CPU, memory, instances, latency, uptime, database).
public struct Monitoring: Sendable, Equatable, SpecReadable {
    public var responseCodeRatios: [ResponseCodeRatioAlert] = []
    public var customAlerts: [CustomAlert] = []

    static func read(_ o: SpecObject) -> Monitoring? {
        Monitoring(
            responseCodeRatios: o.optional("responseCodeRatios", .list(.object), default: [], "Alert when a share of responses has a status code."),
            customAlerts: o.optional("customAlerts", .list(.object), default: [], "Alerts on any metric, as a PromQL query and a threshold.")
        )
    }
}

public struct ResponseCodeRatioAlert: Sendable, Equatable, SpecReadable {
    public var id: String
    public var description: String?
    /// A status code (`404`) or class (`5xx`).
    public var code: String
    public var ratio: Double
    public var durationMinutes: Int

    static func read(_ o: SpecObject) -> ResponseCodeRatioAlert? {
        let id = o.required("id", .string(pattern: "[a-z][a-z0-9-]*", maxLength: 40, example: "server-errors"), "Names the alert.")
        let description = o.optional("description", .string(maxLength: 500), "What it means when it fires.")
        let code = o.required("code", .string(pattern: "[1-5]([0-9][0-9]|xx)", example: "5xx"), "A status code like 404 or a class like 5xx.")
        let ratio = o.required("ratio", .number(0.0001...1), "The share of responses, above which the alert fires.")
        let duration = o.optional("durationMinutes", .integer(1...1440), default: 5, "How long the ratio must hold.")
        guard let id, let code, let ratio else { return nil }
        return ResponseCodeRatioAlert(id: id, description: description, code: code, ratio: ratio, durationMinutes: duration)
    }
}

public enum Comparison: String, Sendable, CaseIterable { case above, below }

public struct CustomAlert: Sendable, Equatable, SpecReadable {
    public var id: String
    public var description: String?
    public var query: String
    public var comparison: Comparison
    public var threshold: Double
    public var durationMinutes: Int

    static func read(_ o: SpecObject) -> CustomAlert? {
        let id = o.required("id", .string(pattern: "[a-z][a-z0-9-]*", maxLength: 40, example: "queue-depth"), "Names the alert.")
        let description = o.optional("description", .string(maxLength: 500), "What it means when it fires.")
        let query = o.required("query", .string(maxLength: 2000), "A PromQL query over the service's metrics.")
        let comparison = o.optional("comparison", .choice, default: Comparison.above, "Whether the alert fires above or below the threshold.")
        let threshold = o.required("threshold", .number(-1e12...1e12), "The value the query is compared with.")
        let duration = o.optional("durationMinutes", .integer(1...1440), default: 5, "How long the condition must hold.")
        guard let id, let query, let threshold else { return nil }
        return CustomAlert(id: id, description: description, query: query, comparison: comparison, threshold: threshold, durationMinutes: duration)
    }
}

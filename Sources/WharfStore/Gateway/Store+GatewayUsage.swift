import Foundation
import SQLKit
import WharfCore

/// The AI gateway's usage events: written by settlements, summarised for billing.
extension Store {
    /// Records usage events, many rows to a statement.
    static func insertUsage(_ db: any SQLDatabase, _ events: [GatewayUsageEvent]) async throws {
        for chunk in stride(from: 0, to: events.count, by: 100).map({ events[$0..<min($0 + 100, events.count)] }) {
            var insert = db.insert(into: "wharf_gateway_usage").columns(
                "id", "at_ms", "slug", "feature", "model", "api", "request_id", "status", "prompt_tokens", "completion_tokens", "usage_counted", "prompt_flagged", "streamed",
                "latency_us", "overhead_us"
            )
            for event in chunk {
                insert = insert.values(
                    SQLBind(event.id), SQLBind(JSONColumn.millis(event.at)), SQLBind(event.instance), SQLBind(event.feature.rawValue), SQLBind(event.model),
                    SQLBind(event.api), SQLBind(event.requestID), SQLBind(event.status), SQLBind(event.promptTokens), SQLBind(event.completionTokens),
                    SQLBind(event.usageCounted ? 1 : 0), SQLBind(event.promptFlagged ? 1 : 0), SQLBind(event.streamed ? 1 : 0), SQLBind(event.latencyMicroseconds),
                    SQLBind(event.overheadMicroseconds)
                )
            }
            try await insert.run()
        }
    }

    /// Usage per instance, feature and UTC day, from `since` up to `until`, for one instance or all.
    public func gatewayUsageSummary(since: Date, until: Date, instance: String? = nil) async throws -> [GatewayUsageSummary] {
        let rows = try await read { db in
            try await db.raw(
                """
                SELECT slug, feature, at_ms / 86400000 AS day, COUNT(*) AS requests,
                CAST(SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS BIGINT) AS errors, CAST(SUM(prompt_tokens) AS BIGINT) AS prompt_tokens,
                CAST(SUM(completion_tokens) AS BIGINT) AS completion_tokens, CAST(SUM(usage_counted) AS BIGINT) AS counted
                FROM wharf_gateway_usage
                WHERE at_ms >= \(bind: JSONColumn.millis(since)) AND at_ms < \(bind: JSONColumn.millis(until))
                AND (\(bind: instance ?? "") = '' OR slug = \(bind: instance ?? ""))
                GROUP BY slug, feature, at_ms / 86400000 ORDER BY day, slug, feature
                """
            ).all()
        }
        let format = Date.ISO8601FormatStyle().year().month().day()
        return try rows.map { row in
            let day = try row.decode(column: "day", as: Int64.self)
            return GatewayUsageSummary(
                instance: try row.decode(column: "slug", as: String.self),
                feature: GatewayFeature(rawValue: try row.decode(column: "feature", as: String.self)) ?? .chat,
                day: Date(timeIntervalSince1970: TimeInterval(day) * 86_400).formatted(format),
                requests: try row.decode(column: "requests", as: Int.self), errors: try row.decode(column: "errors", as: Int.self),
                promptTokens: try row.decode(column: "prompt_tokens", as: Int.self), completionTokens: try row.decode(column: "completion_tokens", as: Int.self),
                countedLocally: try row.decode(column: "counted", as: Int.self)
            )
        }
    }

    /// The usage events of one instance, newest first: what a test or an investigation looks at.
    public func gatewayUsageEvents(instance: String, limit: Int = 100) async throws -> [GatewayUsageEvent] {
        let rows = try await read { db in
            try await db.select().column("*").from("wharf_gateway_usage").where("slug", .equal, SQLBind(instance))
                .orderBy("at_ms", .descending).orderBy("id", .descending).limit(limit).all()
        }
        return try rows.map { row in
            GatewayUsageEvent(
                id: try row.decode(column: "id", as: String.self), at: Date(timeIntervalSince1970: TimeInterval(try row.decode(column: "at_ms", as: Int64.self)) / 1000),
                instance: instance, feature: GatewayFeature(rawValue: try row.decode(column: "feature", as: String.self)) ?? .chat,
                model: try row.decode(column: "model", as: String.self), api: try row.decode(column: "api", as: String.self),
                requestID: try row.decode(column: "request_id", as: String.self), status: try row.decode(column: "status", as: Int.self),
                promptTokens: try row.decode(column: "prompt_tokens", as: Int.self), completionTokens: try row.decode(column: "completion_tokens", as: Int.self),
                usageCounted: try row.decode(column: "usage_counted", as: Int.self) != 0,
                promptFlagged: try row.decode(column: "prompt_flagged", as: Int.self) != 0, streamed: try row.decode(column: "streamed", as: Int.self) != 0,
                latencyMicroseconds: try row.decode(column: "latency_us", as: Int.self), overheadMicroseconds: try row.decode(column: "overhead_us", as: Int.self)
            )
        }
    }
}

import Foundation
import SQLKit
import WharfCore

/// One probe of an instance's health.
public struct HealthProbe: Sendable, Equatable {
    public var slug: String
    public var at: Date
    public var healthy: Bool
    public var latencyMilliseconds: Int

    public init(slug: String, at: Date, healthy: Bool, latencyMilliseconds: Int) {
        self.slug = slug
        self.at = at
        self.healthy = healthy
        self.latencyMilliseconds = latencyMilliseconds
    }
}

/// The probes of one instance in one minute, the unit the SLO is computed from.
public struct HealthMinute: Codable, Sendable, Equatable {
    public var minute: Date
    public var probes: Int
    public var healthy: Int
    public var meanLatencyMilliseconds: Int
}

extension Store {
    /// Adds probes to their instance's per-minute counts.
    public func recordHealthProbes(_ probes: [HealthProbe]) async throws {
        guard !probes.isEmpty else { return }
        try await write { db in
            for probe in probes {
                let minute = JSONColumn.millis(probe.at) / 60_000 * 60_000
                try await db.raw(
                    """
                    INSERT INTO wharf_health_minutes (slug, minute_ms, probes, healthy, latency_ms_total)
                    VALUES (\(bind: probe.slug), \(bind: minute), 1, \(bind: probe.healthy ? 1 : 0), \(bind: probe.latencyMilliseconds))
                    ON CONFLICT (slug, minute_ms) DO UPDATE SET probes = wharf_health_minutes.probes + 1,
                    healthy = wharf_health_minutes.healthy + excluded.healthy, latency_ms_total = wharf_health_minutes.latency_ms_total + excluded.latency_ms_total
                    """
                ).run()
            }
        }
    }

    /// The instance's probe counts per minute from `since` on, oldest first.
    public func healthMinutes(slug: String, since: Date) async throws -> [HealthMinute] {
        try await read { db in
            try await db.select().columns("minute_ms", "probes", "healthy", "latency_ms_total").from("wharf_health_minutes")
                .where("slug", .equal, SQLBind(slug)).where("minute_ms", .greaterThanOrEqual, SQLBind(JSONColumn.millis(since)))
                .orderBy("minute_ms").all()
                .map { row in
                    let probes = Int(try row.decode(column: "probes", as: Int64.self))
                    return HealthMinute(
                        minute: Date(timeIntervalSince1970: Double(try row.decode(column: "minute_ms", as: Int64.self)) / 1000), probes: probes,
                        healthy: Int(try row.decode(column: "healthy", as: Int64.self)),
                        meanLatencyMilliseconds: probes == 0 ? 0 : Int(try row.decode(column: "latency_ms_total", as: Int64.self)) / probes
                    )
                }
        }
    }
}

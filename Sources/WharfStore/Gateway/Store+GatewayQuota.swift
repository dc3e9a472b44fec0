import Foundation
import SQLKit
import WharfCore

/// The AI gateway's limits as the database holds them: where an instance stands, the leases and spares
/// of live replicas, and the forgetting of windows long over. Blocks are taken in `Store+GatewayBlocks`.
extension Store {
    /// Keeps this replica's slots and spares alive: a replica that dies stops renewing, and what it held
    /// comes free when the leases expire.
    public func renewGatewayLeases(replica: String, until: Date) async throws {
        let until = JSONColumn.millis(until)
        try await write { db in
            try await db.update("wharf_gateway_leases").set("expires_ms", to: SQLBind(until)).where("replica", .equal, SQLBind(replica)).run()
            try await db.update("wharf_gateway_spares").set("expires_ms", to: SQLBind(until)).where("replica", .equal, SQLBind(replica)).run()
        }
    }

    /// Where the instance stands against each of its limits, feature by feature, at `now`. What replicas
    /// hold in blocks is not counted as used; slots count while a replica holds them, busy or idle.
    public func gatewayStandings(slug: String, limits: GatewayLimits, now: Date) async throws -> [GatewayFeature: [QuotaStanding]] {
        let nowMs = JSONColumn.millis(now)
        return try await read { db in
            var standings: [GatewayFeature: [QuotaStanding]] = [:]
            for feature in GatewayFeature.allCases {
                let limits = limits[feature]
                var list: [QuotaStanding] = []
                for window in LimitWindow.allCases {
                    let key = CounterKey(slug: slug, feature: feature.rawValue, window: window.rawValue, start: JSONColumn.millis(window.start(of: now)))
                    let counter = try await Self.counterRow(db, key)
                    let spare = try await Self.spareSum(db, key: key)
                    if let limit = limits.requests?[window] {
                        list.append(QuotaStanding(measure: .requests, window: window, limit: limit, used: counter.requests - spare.requests, resetsAt: window.end(of: now)))
                    }
                    if let limit = limits.tokens?[window] {
                        list.append(QuotaStanding(measure: .tokens, window: window, limit: limit, used: counter.tokens - spare.tokens, resetsAt: window.end(of: now)))
                    }
                }
                if let limit = limits.concurrency {
                    let held = try await Self.leaseCount(db, slug: slug, feature: feature, liveAfter: nowMs)
                    list.append(QuotaStanding(measure: .concurrency, window: nil, limit: limit, used: held, resetsAt: nil))
                }
                standings[feature] = list
            }
            return standings
        }
    }

    /// Forgets counts and spares of windows long over (minutes after an hour, days after two, months after
    /// a year) and leases that expired; usage events are kept, they are the record.
    public func pruneGatewayCounters(now: Date) async throws {
        let cutoffs = [("minute", now.addingTimeInterval(-3_600)), ("day", now.addingTimeInterval(-2 * 86_400)), ("month", now.addingTimeInterval(-366 * 86_400))]
        let nowMs = JSONColumn.millis(now)
        try await write { db in
            for (window, cutoff) in cutoffs {
                for table in ["wharf_gateway_counters", "wharf_gateway_spares"] {
                    try await db.delete(from: SQLIdentifier(table)).where("window_kind", .equal, SQLBind(window))
                        .where("window_start_ms", .lessThan, SQLBind(JSONColumn.millis(cutoff))).run()
                }
            }
            try await db.delete(from: "wharf_gateway_leases").where("expires_ms", .lessThanOrEqual, SQLBind(nowMs)).run()
        }
    }
}

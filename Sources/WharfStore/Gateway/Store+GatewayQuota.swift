import Foundation
import SQLKit
import WharfCore

/// The AI gateway's limits, counted in the database so they hold across replicas.
///
/// A reservation is one transaction: it locks the instance's concurrency row (so replicas check leases one
/// at a time), takes a lease, then adds a request and the token estimate to each limited window with a
/// conditional update that refuses to pass the limit. A refusal rolls all of it back. Rows are always locked
/// in the same order — concurrency row, leases, windows by name — so reservations and settlements cannot
/// deadlock each other.
extension Store {
    public func reserveGatewayQuota(
        slug: String, feature: GatewayFeature, limits: FeatureLimits, estimatedTokens: Int, replica: String, leaseUntil: Date, now: Date
    ) async throws -> GatewayReservation {
        let nowMs = JSONColumn.millis(now)
        let leaseUntilMs = JSONColumn.millis(leaseUntil)
        return try await write { db in
            var reservation = GatewayReservation(slug: slug, feature: feature, lease: nil, windows: [], estimatedTokens: estimatedTokens, standings: [])
            if let concurrency = limits.concurrency {
                try await db.raw(
                    """
                    INSERT INTO wharf_gateway_counters (slug, feature, window_kind, window_start_ms, requests, tokens)
                    VALUES (\(bind: slug), \(bind: feature.rawValue), 'concurrency', 0, 0, 0)
                    ON CONFLICT (slug, feature, window_kind, window_start_ms) DO UPDATE SET requests = 0
                    """
                ).run()
                try await db.delete(from: "wharf_gateway_leases").where("slug", .equal, SQLBind(slug)).where("feature", .equal, SQLBind(feature.rawValue))
                    .where("expires_ms", .lessThanOrEqual, SQLBind(nowMs)).run()
                let held = try await Self.leaseCount(db, slug: slug, feature: feature)
                let standing = QuotaStanding(measure: .concurrency, window: nil, limit: concurrency, used: held, resetsAt: nil)
                guard held < concurrency else { throw GatewayQuotaExceeded(standing: standing, neverFits: false) }
                let lease = UUID().uuidString.lowercased()
                try await db.insert(into: "wharf_gateway_leases").columns("id", "slug", "feature", "replica", "expires_ms")
                    .values(SQLBind(lease), SQLBind(slug), SQLBind(feature.rawValue), SQLBind(replica), SQLBind(leaseUntilMs)).run()
                reservation.lease = lease
                reservation.standings.append(QuotaStanding(measure: .concurrency, window: nil, limit: concurrency, used: held + 1, resetsAt: nil))
            }
            for window in LimitWindow.allCases.sorted(by: { $0.rawValue < $1.rawValue }) {
                let requestLimit = limits.requests?[window]
                let tokenLimit = limits.tokens?[window]
                guard requestLimit != nil || tokenLimit != nil else { continue }
                let start = JSONColumn.millis(window.start(of: now))
                let resetsAt = window.end(of: now)
                if let requestLimit, requestLimit < 1 {
                    throw GatewayQuotaExceeded(standing: QuotaStanding(measure: .requests, window: window, limit: requestLimit, used: 0, resetsAt: resetsAt), neverFits: true)
                }
                if let tokenLimit, estimatedTokens > tokenLimit {
                    throw GatewayQuotaExceeded(standing: QuotaStanding(measure: .tokens, window: window, limit: tokenLimit, used: estimatedTokens, resetsAt: resetsAt), neverFits: true)
                }
                let counted = try await db.raw(
                    """
                    INSERT INTO wharf_gateway_counters (slug, feature, window_kind, window_start_ms, requests, tokens)
                    VALUES (\(bind: slug), \(bind: feature.rawValue), \(bind: window.rawValue), \(bind: start), 1, \(bind: estimatedTokens))
                    ON CONFLICT (slug, feature, window_kind, window_start_ms) DO UPDATE
                    SET requests = wharf_gateway_counters.requests + 1, tokens = wharf_gateway_counters.tokens + excluded.tokens
                    WHERE wharf_gateway_counters.requests + 1 <= \(bind: requestLimit ?? Int.max)
                    AND wharf_gateway_counters.tokens + excluded.tokens <= \(bind: tokenLimit ?? Int.max)
                    RETURNING requests, tokens
                    """
                ).first()
                guard let counted else {
                    let row = try await Self.counterRow(db, slug: slug, feature: feature, window: window, start: start)
                    let standing: QuotaStanding
                    if let requestLimit, row.requests + 1 > requestLimit {
                        standing = QuotaStanding(measure: .requests, window: window, limit: requestLimit, used: row.requests, resetsAt: resetsAt)
                    } else {
                        standing = QuotaStanding(measure: .tokens, window: window, limit: tokenLimit ?? 0, used: row.tokens, resetsAt: resetsAt)
                    }
                    throw GatewayQuotaExceeded(standing: standing, neverFits: false)
                }
                reservation.windows.append(.init(kind: window, startMilliseconds: start))
                if let requestLimit {
                    let used = try counted.decode(column: "requests", as: Int.self)
                    reservation.standings.append(QuotaStanding(measure: .requests, window: window, limit: requestLimit, used: used, resetsAt: resetsAt))
                }
                if let tokenLimit {
                    let used = try counted.decode(column: "tokens", as: Int.self)
                    reservation.standings.append(QuotaStanding(measure: .tokens, window: window, limit: tokenLimit, used: used, resetsAt: resetsAt))
                }
            }
            return reservation
        }
    }

    /// Ends reservations in one transaction: each gives back its lease, replaces its token estimate with
    /// what was used (and its request, when refunded), and records its usage event.
    public func settleGateway(_ settlements: [GatewaySettlement]) async throws {
        guard !settlements.isEmpty else { return }
        try await write { db in
            let leases = settlements.compactMap(\.reservation?.lease).sorted()
            if !leases.isEmpty {
                try await db.delete(from: "wharf_gateway_leases").where("id", .in, leases).run()
            }
            var changes: [CounterKey: (requests: Int, tokens: Int)] = [:]
            for settlement in settlements {
                guard let reservation = settlement.reservation else { continue }
                for window in reservation.windows {
                    let key = CounterKey(slug: reservation.slug, feature: reservation.feature.rawValue, window: window.kind.rawValue, start: window.startMilliseconds)
                    let change = changes[key] ?? (0, 0)
                    changes[key] = (change.requests - (settlement.refundRequest ? 1 : 0), change.tokens + settlement.tokensUsed - reservation.estimatedTokens)
                }
            }
            for (key, change) in changes.sorted(by: { $0.key < $1.key }) where change != (0, 0) {
                try await db.raw(
                    """
                    UPDATE wharf_gateway_counters SET requests = requests + \(bind: change.requests), tokens = tokens + \(bind: change.tokens)
                    WHERE slug = \(bind: key.slug) AND feature = \(bind: key.feature) AND window_kind = \(bind: key.window) AND window_start_ms = \(bind: key.start)
                    """
                ).run()
            }
            for event in settlements.compactMap(\.event) {
                try await Self.insertUsage(db, event)
            }
        }
    }

    /// Keeps this replica's leases alive while their requests run: a replica that dies stops renewing,
    /// and its slots come free when the leases expire.
    public func renewGatewayLeases(replica: String, until: Date) async throws {
        let until = JSONColumn.millis(until)
        try await write { db in
            try await db.update("wharf_gateway_leases").set("expires_ms", to: SQLBind(until)).where("replica", .equal, SQLBind(replica)).run()
        }
    }

    /// Where the instance stands against each of its limits, feature by feature, at `now`.
    public func gatewayStandings(slug: String, limits: GatewayLimits, now: Date) async throws -> [GatewayFeature: [QuotaStanding]] {
        let nowMs = JSONColumn.millis(now)
        return try await read { db in
            var standings: [GatewayFeature: [QuotaStanding]] = [:]
            for feature in GatewayFeature.allCases {
                let limits = limits[feature]
                var list: [QuotaStanding] = []
                for window in LimitWindow.allCases {
                    let row = try await Self.counterRow(db, slug: slug, feature: feature, window: window, start: JSONColumn.millis(window.start(of: now)))
                    if let limit = limits.requests?[window] {
                        list.append(QuotaStanding(measure: .requests, window: window, limit: limit, used: row.requests, resetsAt: window.end(of: now)))
                    }
                    if let limit = limits.tokens?[window] {
                        list.append(QuotaStanding(measure: .tokens, window: window, limit: limit, used: row.tokens, resetsAt: window.end(of: now)))
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

    /// Forgets counts of windows long over (minutes after an hour, days after two, months after a year)
    /// and leases that expired; usage events are kept, they are the record.
    public func pruneGatewayCounters(now: Date) async throws {
        let cutoffs = [("minute", now.addingTimeInterval(-3_600)), ("day", now.addingTimeInterval(-2 * 86_400)), ("month", now.addingTimeInterval(-366 * 86_400))]
        let nowMs = JSONColumn.millis(now)
        try await write { db in
            for (window, cutoff) in cutoffs {
                try await db.delete(from: "wharf_gateway_counters").where("window_kind", .equal, SQLBind(window))
                    .where("window_start_ms", .lessThan, SQLBind(JSONColumn.millis(cutoff))).run()
            }
            try await db.delete(from: "wharf_gateway_leases").where("expires_ms", .lessThanOrEqual, SQLBind(nowMs)).run()
        }
    }

    private struct CounterKey: Hashable, Comparable {
        var slug: String
        var feature: String
        var window: String
        var start: Int64

        static func < (a: CounterKey, b: CounterKey) -> Bool {
            (a.slug, a.feature, a.window, a.start) < (b.slug, b.feature, b.window, b.start)
        }
    }

    private static func counterRow(_ db: any SQLDatabase, slug: String, feature: GatewayFeature, window: LimitWindow, start: Int64) async throws -> (requests: Int, tokens: Int) {
        guard let row = try await db.select().columns("requests", "tokens").from("wharf_gateway_counters")
            .where("slug", .equal, SQLBind(slug)).where("feature", .equal, SQLBind(feature.rawValue))
            .where("window_kind", .equal, SQLBind(window.rawValue)).where("window_start_ms", .equal, SQLBind(start)).first()
        else { return (0, 0) }
        return (try row.decode(column: "requests", as: Int.self), try row.decode(column: "tokens", as: Int.self))
    }

    /// Leases held on the instance's slots for `feature`; those expired by `liveAfter` are not counted.
    private static func leaseCount(_ db: any SQLDatabase, slug: String, feature: GatewayFeature, liveAfter: Int64 = .min) async throws -> Int {
        try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("wharf_gateway_leases")
            .where("slug", .equal, SQLBind(slug)).where("feature", .equal, SQLBind(feature.rawValue)).where("expires_ms", .greaterThan, SQLBind(liveAfter))
            .first()?.decode(column: "n", as: Int.self) ?? 0
    }
}

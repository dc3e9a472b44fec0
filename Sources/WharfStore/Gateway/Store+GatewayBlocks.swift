import Foundation
import SQLKit
import WharfCore

/// The AI gateway's shared counters, handed out in blocks so that replicas admit most requests in memory.
///
/// A counter's `requests` and `tokens` are what was taken from the limit: what requests used, plus the
/// spares replicas hold. A block is taken with one transaction that refuses to pass the limit, so the
/// replicas together never admit more than it. Transactions lock counter rows first (in key order), then
/// leases, then spares, so replicas and their ledgers cannot deadlock each other.
extension Store {
    /// Takes new blocks and slots for one instance and feature, or throws `GatewayQuotaExceeded` with
    /// nothing changed. A block is at most an eighth of what is left, so the last requests are handed out
    /// one by one and no replica sits on what another could use.
    public func takeGatewayBlocks(_ ask: GatewayBlockRequest) async throws -> GatewayBlockGrant {
        let nowMs = JSONColumn.millis(ask.now)
        let slug = ask.slug
        let feature = ask.feature.rawValue
        if let refusal = GatewayQuotaExceeded.neverFitting(ask.limits, estimatedTokens: ask.estimatedTokens, now: ask.now) { throw refusal }
        return try await write { db in
            var locks: [CounterKey] = ask.windows.flatMap { window in
                [window.returning.map { CounterKey(slug: slug, feature: feature, window: $0.window.rawValue, start: $0.startMilliseconds) },
                 CounterKey(slug: slug, feature: feature, window: window.kind.rawValue, start: window.startMilliseconds)].compactMap { $0 }
            }
            if ask.slots != nil { locks.append(CounterKey(slug: slug, feature: feature, window: "concurrency", start: 0)) }
            for key in Set(locks).sorted() { try await Self.lockCounter(db, key) }

            var grant = GatewayBlockGrant(windows: [], slots: [], slotsElsewhere: 0)
            if let wanted = ask.slots, let limit = ask.limits.concurrency {
                (grant.slots, grant.slotsElsewhere) = try await Self.leaseSlots(db, ask, wanted: wanted, limit: limit, nowMs: nowMs)
            }
            for window in ask.windows.sorted(by: { $0.kind.rawValue < $1.kind.rawValue }) {
                grant.windows.append(try await Self.takeBlock(db, ask, window, nowMs: nowMs))
            }
            return grant
        }
    }

    private static func leaseSlots(_ db: any SQLDatabase, _ ask: GatewayBlockRequest, wanted: Int, limit: Int, nowMs: Int64) async throws -> ([String], Int) {
        try await db.delete(from: "wharf_gateway_leases").where("slug", .equal, SQLBind(ask.slug)).where("feature", .equal, SQLBind(ask.feature.rawValue))
            .where("expires_ms", .lessThanOrEqual, SQLBind(nowMs)).run()
        let held = try await leaseCount(db, slug: ask.slug, feature: ask.feature)
        let mine = try await leaseCount(db, slug: ask.slug, feature: ask.feature, replica: ask.replica)
        guard held < limit else {
            throw GatewayQuotaExceeded(standing: QuotaStanding(measure: .concurrency, window: nil, limit: limit, used: held, resetsAt: nil), neverFits: false)
        }
        let slots = (0..<min(wanted, max(1, (limit - held) / 8))).map { _ in UUID().uuidString.lowercased() }
        let leaseUntil = JSONColumn.millis(ask.leaseUntil)
        for slot in slots {
            try await db.insert(into: "wharf_gateway_leases").columns("id", "slug", "feature", "replica", "expires_ms")
                .values(SQLBind(slot), SQLBind(ask.slug), SQLBind(ask.feature.rawValue), SQLBind(ask.replica), SQLBind(leaseUntil)).run()
        }
        return (slots, held - mine)
    }

    /// One window's block: gives back what the replica held, takes back what dead replicas held, then
    /// takes as much as policy and the limit allow, with room for the asking request at least.
    private static func takeBlock(_ db: any SQLDatabase, _ ask: GatewayBlockRequest, _ window: GatewayBlockRequest.Window, nowMs: Int64) async throws -> GatewayBlockGrant.Window {
        let key = CounterKey(slug: ask.slug, feature: ask.feature.rawValue, window: window.kind.rawValue, start: window.startMilliseconds)
        let requestLimit = ask.limits.requests?[window.kind]
        let tokenLimit = ask.limits.tokens?[window.kind]
        let resetsAt = window.kind.end(of: ask.now)
        var held = (requests: 0, tokens: 0)
        if let old = window.returning {
            if old.startMilliseconds == window.startMilliseconds {
                held = (old.requests, old.tokens)
            } else {
                try await giveBack(db, replica: ask.replica, key: CounterKey(slug: key.slug, feature: key.feature, window: key.window, start: old.startMilliseconds), spare: old)
            }
        }
        try await reclaimDeadSpares(db, key: key, replica: ask.replica, nowMs: nowMs)
        let counter = try await counterRow(db, key)
        let others = try await spareSum(db, key: key, excluding: ask.replica)
        let taken = (requests: counter.requests - held.requests, tokens: counter.tokens - held.tokens)
        let used = (requests: taken.requests - others.requests, tokens: taken.tokens - others.tokens)
        let left = (requests: requestLimit.map { $0 - taken.requests }, tokens: tokenLimit.map { $0 - taken.tokens })
        if let requestLimit, let leftRequests = left.requests, leftRequests < 1 {
            let standing = QuotaStanding(measure: .requests, window: window.kind, limit: requestLimit, used: used.requests, resetsAt: resetsAt)
            throw GatewayQuotaExceeded(standing: standing, neverFits: false, othersHoldSpare: others.requests > 0)
        }
        if let tokenLimit, let leftTokens = left.tokens, leftTokens < ask.estimatedTokens {
            let standing = QuotaStanding(measure: .tokens, window: window.kind, limit: tokenLimit, used: used.tokens, resetsAt: resetsAt)
            throw GatewayQuotaExceeded(standing: standing, neverFits: false, othersHoldSpare: others.tokens > 0)
        }
        let requests = left.requests.map { min(max(1, $0 / 8), window.wantedRequests) } ?? 0
        let requestsInBlock = requestLimit == nil ? window.wantedRequests : requests
        let tokens = left.tokens.map { min(max(ask.estimatedTokens, min($0 / 8, requestsInBlock * ask.estimatedTokens)), $0) } ?? 0
        try await db.raw(
            """
            UPDATE wharf_gateway_counters SET requests = \(bind: taken.requests + requests), tokens = \(bind: taken.tokens + tokens)
            WHERE slug = \(bind: key.slug) AND feature = \(bind: key.feature) AND window_kind = \(bind: key.window) AND window_start_ms = \(bind: key.start)
            """
        ).run()
        try await db.raw(
            """
            INSERT INTO wharf_gateway_spares (replica, slug, feature, window_kind, window_start_ms, generation, requests, tokens, expires_ms)
            VALUES (\(bind: ask.replica), \(bind: key.slug), \(bind: key.feature), \(bind: key.window), \(bind: key.start), \(bind: ask.generation), \(bind: requests), \(bind: tokens), \(bind: JSONColumn.millis(ask.leaseUntil)))
            ON CONFLICT (slug, feature, window_kind, window_start_ms, replica) DO UPDATE
            SET generation = excluded.generation, requests = excluded.requests, tokens = excluded.tokens, expires_ms = excluded.expires_ms
            """
        ).run()
        let spare = GatewaySpare(window: window.kind, startMilliseconds: key.start, generation: ask.generation, requests: requests, tokens: tokens)
        return .init(spare: spare, usedRequests: used.requests, usedTokens: used.tokens)
    }

    /// Writes a replica's ledger in one transaction: spares shrink by what was admitted from them, blocks
    /// and idle slots go back, estimates are replaced by the tokens used (a refunded request is taken off
    /// too), and usage events are recorded.
    public func recordGatewayBatch(_ batch: GatewayLedgerBatch) async throws {
        guard !batch.isEmpty else { return }
        try await write { db in
            var counters: [CounterKey: (requests: Int, tokens: Int)] = [:]
            for returned in batch.returned {
                for spare in returned.spares {
                    let key = CounterKey(slug: returned.slug, feature: returned.feature.rawValue, window: spare.window.rawValue, start: spare.startMilliseconds)
                    let change = counters[key] ?? (0, 0)
                    counters[key] = (change.requests - spare.requests, change.tokens - spare.tokens)
                }
            }
            for settlement in batch.settlements {
                guard let reservation = settlement.reservation else { continue }
                for window in reservation.windows {
                    let key = CounterKey(slug: reservation.slug, feature: reservation.feature.rawValue, window: window.kind.rawValue, start: window.startMilliseconds)
                    let change = counters[key] ?? (0, 0)
                    counters[key] = (change.requests - (settlement.refundRequest ? 1 : 0), change.tokens + settlement.tokensUsed - reservation.estimatedTokens)
                }
            }
            for (key, change) in counters.sorted(by: { $0.key < $1.key }) where change != (0, 0) {
                try await Self.addToCounter(db, key, requests: change.requests, tokens: change.tokens)
            }
            let slots = batch.returned.flatMap(\.slots).sorted()
            if !slots.isEmpty {
                try await db.delete(from: "wharf_gateway_leases").where("id", .in, slots).run()
            }
            var uses: [SpareKey: (requests: Int, tokens: Int)] = [:]
            for reservation in batch.admitted {
                for window in reservation.windows {
                    let key = SpareKey(
                        counter: CounterKey(slug: reservation.slug, feature: reservation.feature.rawValue, window: window.kind.rawValue, start: window.startMilliseconds),
                        generation: window.generation
                    )
                    let use = uses[key] ?? (0, 0)
                    uses[key] = (use.requests + 1, use.tokens + reservation.estimatedTokens)
                }
            }
            for (key, use) in uses.sorted(by: { $0.key < $1.key }) {
                try await db.raw(
                    """
                    UPDATE wharf_gateway_spares SET requests = requests - \(bind: use.requests), tokens = tokens - \(bind: use.tokens)
                    WHERE slug = \(bind: key.counter.slug) AND feature = \(bind: key.counter.feature) AND window_kind = \(bind: key.counter.window)
                    AND window_start_ms = \(bind: key.counter.start) AND replica = \(bind: batch.replica) AND generation = \(bind: key.generation)
                    """
                ).run()
            }
            for returned in batch.returned {
                for spare in returned.spares {
                    try await Self.deleteSpare(db, replica: batch.replica, slug: returned.slug, feature: returned.feature.rawValue, spare: spare)
                }
            }
            try await Self.insertUsage(db, batch.settlements.compactMap(\.event))
        }
    }

    struct CounterKey: Hashable, Comparable {
        var slug: String
        var feature: String
        var window: String
        var start: Int64

        static func < (a: CounterKey, b: CounterKey) -> Bool {
            (a.slug, a.feature, a.window, a.start) < (b.slug, b.feature, b.window, b.start)
        }
    }

    private struct SpareKey: Hashable, Comparable {
        var counter: CounterKey
        var generation: Int64

        static func < (a: SpareKey, b: SpareKey) -> Bool {
            (a.counter, a.generation) < (b.counter, b.generation)
        }
    }

    /// Creates the counter row if need be and locks it until the transaction ends (PostgreSQL row lock;
    /// SQLite has one writer at a time anyway).
    private static func lockCounter(_ db: any SQLDatabase, _ key: CounterKey) async throws {
        try await db.raw(
            """
            INSERT INTO wharf_gateway_counters (slug, feature, window_kind, window_start_ms, requests, tokens)
            VALUES (\(bind: key.slug), \(bind: key.feature), \(bind: key.window), \(bind: key.start), 0, 0)
            ON CONFLICT (slug, feature, window_kind, window_start_ms) DO UPDATE SET requests = wharf_gateway_counters.requests
            """
        ).run()
    }

    private static func addToCounter(_ db: any SQLDatabase, _ key: CounterKey, requests: Int, tokens: Int) async throws {
        try await db.raw(
            """
            UPDATE wharf_gateway_counters SET requests = requests + \(bind: requests), tokens = tokens + \(bind: tokens)
            WHERE slug = \(bind: key.slug) AND feature = \(bind: key.feature) AND window_kind = \(bind: key.window) AND window_start_ms = \(bind: key.start)
            """
        ).run()
    }

    /// A block given back: what is left of it leaves the counter, and the spare row of that block goes.
    private static func giveBack(_ db: any SQLDatabase, replica: String, key: CounterKey, spare: GatewaySpare) async throws {
        try await addToCounter(db, key, requests: -spare.requests, tokens: -spare.tokens)
        try await deleteSpare(db, replica: replica, slug: key.slug, feature: key.feature, spare: spare)
    }

    private static func deleteSpare(_ db: any SQLDatabase, replica: String, slug: String, feature: String, spare: GatewaySpare) async throws {
        try await db.delete(from: "wharf_gateway_spares").where("replica", .equal, SQLBind(replica)).where("slug", .equal, SQLBind(slug))
            .where("feature", .equal, SQLBind(feature)).where("window_kind", .equal, SQLBind(spare.window.rawValue))
            .where("window_start_ms", .equal, SQLBind(spare.startMilliseconds)).where("generation", .equal, SQLBind(spare.generation)).run()
    }

    /// Spares whose replica stopped renewing them go back to the counter: that replica is gone.
    private static func reclaimDeadSpares(_ db: any SQLDatabase, key: CounterKey, replica: String, nowMs: Int64) async throws {
        let dead = try await spareRows(db, key: key).filter { $0.replica != replica && $0.expires <= nowMs }
        guard !dead.isEmpty else { return }
        try await addToCounter(db, key, requests: -dead.reduce(0) { $0 + $1.requests }, tokens: -dead.reduce(0) { $0 + $1.tokens })
        for row in dead {
            try await db.delete(from: "wharf_gateway_spares").where("replica", .equal, SQLBind(row.replica)).where("slug", .equal, SQLBind(key.slug))
                .where("feature", .equal, SQLBind(key.feature)).where("window_kind", .equal, SQLBind(key.window)).where("window_start_ms", .equal, SQLBind(key.start)).run()
        }
    }

    private static func spareRows(_ db: any SQLDatabase, key: CounterKey) async throws -> [(replica: String, requests: Int, tokens: Int, expires: Int64)] {
        try await db.select().columns("replica", "requests", "tokens", "expires_ms").from("wharf_gateway_spares")
            .where("slug", .equal, SQLBind(key.slug)).where("feature", .equal, SQLBind(key.feature))
            .where("window_kind", .equal, SQLBind(key.window)).where("window_start_ms", .equal, SQLBind(key.start)).all()
            .map { row in
                (try row.decode(column: "replica", as: String.self), try row.decode(column: "requests", as: Int.self),
                 try row.decode(column: "tokens", as: Int.self), try row.decode(column: "expires_ms", as: Int64.self))
            }
    }

    /// What replicas other than `excluding` hold of a window, live or not yet reclaimed.
    static func spareSum(_ db: any SQLDatabase, key: CounterKey, excluding: String? = nil) async throws -> (requests: Int, tokens: Int) {
        try await spareRows(db, key: key).filter { $0.replica != excluding }.reduce((0, 0)) { ($0.0 + $1.requests, $0.1 + $1.tokens) }
    }

    static func counterRow(_ db: any SQLDatabase, _ key: CounterKey) async throws -> (requests: Int, tokens: Int) {
        guard let row = try await db.select().columns("requests", "tokens").from("wharf_gateway_counters")
            .where("slug", .equal, SQLBind(key.slug)).where("feature", .equal, SQLBind(key.feature))
            .where("window_kind", .equal, SQLBind(key.window)).where("window_start_ms", .equal, SQLBind(key.start)).first()
        else { return (0, 0) }
        return (try row.decode(column: "requests", as: Int.self), try row.decode(column: "tokens", as: Int.self))
    }

    /// Leases held on the instance's slots for `feature` (by `replica` alone, when given); those expired by
    /// `liveAfter` are not counted.
    static func leaseCount(_ db: any SQLDatabase, slug: String, feature: GatewayFeature, replica: String? = nil, liveAfter: Int64 = .min) async throws -> Int {
        var query = db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("wharf_gateway_leases")
            .where("slug", .equal, SQLBind(slug)).where("feature", .equal, SQLBind(feature.rawValue)).where("expires_ms", .greaterThan, SQLBind(liveAfter))
        if let replica { query = query.where("replica", .equal, SQLBind(replica)) }
        return try await query.first()?.decode(column: "n", as: Int.self) ?? 0
    }
}

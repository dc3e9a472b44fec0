import Foundation
import NIOHTTP1
import WharfCore

/// The `x-ratelimit-*` headers for a set of standings: `limit`, `remaining` and `reset` (seconds) of the
/// request limit nearest to running out, and the same with a `-tokens` suffix for the tokens. A refusal
/// reports the limit that refused.
enum RateLimitHeaders {
    static func fields(_ standings: [QuotaStanding], refusedBy refusal: QuotaStanding? = nil, now: Date) -> HTTPHeaders {
        var fields = HTTPHeaders()
        let requests = refusal ?? tightest(standings.filter { $0.measure == .requests })
        let tokens = refusal?.measure == .tokens ? refusal : tightest(standings.filter { $0.measure == .tokens })
        for (standing, suffix) in [(requests, ""), (tokens, "-tokens")] {
            guard let standing else { continue }
            fields.add(name: "x-ratelimit-limit\(suffix)", value: "\(standing.limit)")
            fields.add(name: "x-ratelimit-remaining\(suffix)", value: "\(standing.remaining)")
            fields.add(name: "x-ratelimit-reset\(suffix)", value: "\(standing.secondsToReset(from: now))")
        }
        return fields
    }

    /// The standing with the fewest left, the one a client runs into first.
    private static func tightest(_ standings: [QuotaStanding]) -> QuotaStanding? {
        standings.min { ($0.remaining, $0.resetsAt ?? .distantFuture) < ($1.remaining, $1.resetsAt ?? .distantFuture) }
    }
}

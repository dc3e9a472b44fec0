import Foundation
import WharfCore

/// What one admitted gateway request holds until it settles: a request and an estimate of tokens, taken from
/// this replica's block of each limited window, and a concurrency slot when concurrency is limited.
public struct GatewayReservation: Sendable, Equatable {
    /// The block a window's count came from; `generation` tells an old block from the one held now.
    public struct Window: Sendable, Equatable, Hashable {
        public var kind: LimitWindow
        public var startMilliseconds: Int64
        public var generation: Int64

        public init(kind: LimitWindow, startMilliseconds: Int64, generation: Int64) {
            self.kind = kind
            self.startMilliseconds = startMilliseconds
            self.generation = generation
        }
    }

    public var slug: String
    public var feature: GatewayFeature
    /// The lease of the concurrency slot the request runs in.
    public var slot: String?
    public var windows: [Window]
    public var estimatedTokens: Int
    /// Where the instance stands after this request, as this replica knows it, for the `x-ratelimit-*` headers.
    public var standings: [QuotaStanding]

    public init(slug: String, feature: GatewayFeature, slot: String?, windows: [Window], estimatedTokens: Int, standings: [QuotaStanding]) {
        self.slug = slug
        self.feature = feature
        self.slot = slot
        self.windows = windows
        self.estimatedTokens = estimatedTokens
        self.standings = standings
    }
}

/// A request refused by a limit: the standing that refused it. `neverFits` says the request alone is
/// larger than the limit, so waiting would not help; `othersHoldSpare` says other replicas still hold
/// blocks of the limit they have not used, which they give back when idle.
public struct GatewayQuotaExceeded: Error, Sendable, Equatable {
    public var standing: QuotaStanding
    public var neverFits: Bool
    public var othersHoldSpare: Bool

    public init(standing: QuotaStanding, neverFits: Bool, othersHoldSpare: Bool = false) {
        self.standing = standing
        self.neverFits = neverFits
        self.othersHoldSpare = othersHoldSpare
    }

    /// The refusal no wait would lift, if any: a window that admits no request, or a request larger than
    /// a token limit.
    public static func neverFitting(_ limits: FeatureLimits, estimatedTokens: Int, now: Date) -> GatewayQuotaExceeded? {
        for window in LimitWindow.allCases {
            if let limit = limits.requests?[window], limit < 1 {
                return GatewayQuotaExceeded(standing: QuotaStanding(measure: .requests, window: window, limit: limit, used: 0, resetsAt: window.end(of: now)), neverFits: true)
            }
            if let limit = limits.tokens?[window], estimatedTokens > limit {
                let standing = QuotaStanding(measure: .tokens, window: window, limit: limit, used: estimatedTokens, resetsAt: window.end(of: now))
                return GatewayQuotaExceeded(standing: standing, neverFits: true)
            }
        }
        return nil
    }
}

/// How a call ends: the tokens really used (replacing its reservation's estimate), whether the request is
/// given back (the provider never served it), and the usage event to record. A call refused before it
/// reserved anything settles only its event.
public struct GatewaySettlement: Sendable {
    public var reservation: GatewayReservation?
    public var tokensUsed: Int
    public var refundRequest: Bool
    public var event: GatewayUsageEvent?

    public init(reservation: GatewayReservation?, tokensUsed: Int, refundRequest: Bool, event: GatewayUsageEvent?) {
        self.reservation = reservation
        self.tokensUsed = tokensUsed
        self.refundRequest = refundRequest
        self.event = event
    }
}

import Foundation
import WharfCore

/// What one gateway request holds between admission and settlement: a request and an estimate of tokens
/// counted in each limited window, and a lease on a concurrency slot when concurrency is limited.
public struct GatewayReservation: Sendable, Equatable {
    public struct Window: Sendable, Equatable {
        public var kind: LimitWindow
        public var startMilliseconds: Int64
    }

    public var slug: String
    public var feature: GatewayFeature
    public var lease: String?
    public var windows: [Window]
    public var estimatedTokens: Int
    /// Where the instance stands after this reservation, for the `x-ratelimit-*` headers.
    public var standings: [QuotaStanding]
}

/// A request refused by a limit: the standing that refused it. `neverFits` says the request alone is
/// larger than the limit, so waiting would not help.
public struct GatewayQuotaExceeded: Error, Sendable, Equatable {
    public var standing: QuotaStanding
    public var neverFits: Bool
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

import Foundation
import WharfCore
import WharfRuntime
import WharfStore

/// What the gateway knows of one call once it has read the body: who, what for, which model, what it
/// reserved. It turns the call's outcome into the settlement the ledger writes.
struct GatewayCall: Sendable {
    let instance: String
    let feature: GatewayFeature
    let model: String
    let api: UpstreamAPI
    let requestID: String
    let streamed: Bool
    let promptEstimate: Int
    let promptFlagged: Bool
    let at: Date
    let started: ContinuousClock.Instant
    var reservation: GatewayReservation?

    /// The settlement of a call that ended with `status`. `usage` is nil when the provider never served
    /// it: then the request is given back as well as its tokens.
    func settlement(status: Int, usage: TokenUsage?, counted: Bool = false, overhead: Duration) -> GatewaySettlement {
        let latency = ContinuousClock.now - started
        let event = GatewayUsageEvent(
            id: "use_" + FastIdentifier.timeOrdered(milliseconds: Int64(at.timeIntervalSince1970 * 1000)), at: at, instance: instance, feature: feature, model: model, api: api.rawValue,
            requestID: requestID, status: status, promptTokens: usage?.prompt ?? 0, completionTokens: usage?.completion ?? 0,
            usageCounted: counted, promptFlagged: promptFlagged, streamed: streamed,
            latencyMicroseconds: Self.microseconds(latency), overheadMicroseconds: Self.microseconds(overhead)
        )
        return GatewaySettlement(reservation: reservation, tokensUsed: usage?.total ?? 0, refundRequest: usage == nil, event: event)
    }

    static func microseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(0, Int(seconds) * 1_000_000 + Int(attoseconds / 1_000_000_000_000))
    }
}

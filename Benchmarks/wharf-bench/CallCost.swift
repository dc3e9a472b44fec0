import Foundation

/// The CPU one call cost each process in a wrk round, in microseconds: on a machine where wrk, the fake
/// upstream and the gateway share the cores, these explain the ratio of the two request rates.
struct CallCost: CustomStringConvertible {
    var wrk: Double
    var fake: Double
    var gateway: Double

    /// Runs a round and divides each process's CPU time during it by the round's requests.
    static func measure(_ processes: (fake: Int32, gateway: Int32), round: () throws -> Wrk.Round) rethrows -> (Wrk.Round, CallCost) {
        let before = (ProcessCPU.waitedChildrenSeconds(), ProcessCPU.seconds(of: processes.fake), ProcessCPU.seconds(of: processes.gateway))
        let result = try round()
        let after = (ProcessCPU.waitedChildrenSeconds(), ProcessCPU.seconds(of: processes.fake), ProcessCPU.seconds(of: processes.gateway))
        let perCall = 1_000_000 / Double(max(result.requests, 1))
        return (result, CallCost(wrk: (after.0 - before.0) * perCall, fake: (after.1 - before.1) * perCall, gateway: (after.2 - before.2) * perCall))
    }

    static func median(_ costs: [CallCost]) -> CallCost {
        CallCost(wrk: GatewayBench.median(costs.map(\.wrk)), fake: GatewayBench.median(costs.map(\.fake)), gateway: GatewayBench.median(costs.map(\.gateway)))
    }

    var description: String {
        String(format: "wrk %.0f µs, fake %.0f µs, gateway %.0f µs", wrk, fake, gateway)
    }
}

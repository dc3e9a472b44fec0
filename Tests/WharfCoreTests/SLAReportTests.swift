import Foundation
import Testing

@testable import WharfCore

@Suite("SLA report")
struct SLAReportTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static func at(_ hours: Double) -> Date { now.addingTimeInterval(hours * 3600) }

    static func record(
        _ id: String, _ kind: RequestKind, _ state: RequestState, submitted: Double, responded: Double? = nil, resolved: Double? = nil,
        responseDue: Double? = nil, resolutionDue: Double? = nil, start: Double? = nil
    ) -> SLAReport.Record {
        SLAReport.Record(
            id: id, kind: kind, instance: "acme", state: state, submittedAt: at(submitted), respondedAt: responded.map(at), resolvedAt: resolved.map(at),
            responseDue: responseDue.map(at), resolutionDue: resolutionDue.map(at), resolutionStart: at(start ?? submitted)
        )
    }

    @Test("counts met and breached deadlines per kind, open requests' time left, near-breach and the median")
    func build() {
        let records = [
            Self.record("a", .suspend, .done, submitted: -100, responded: -99, resolved: -50, responseDue: -76, resolutionDue: -40),
            Self.record("b", .suspend, .done, submitted: -100, responded: -70, resolved: -10, responseDue: -76, resolutionDue: -40),
            Self.record("c", .suspend, .done, submitted: -100, responded: -90, resolved: -70, responseDue: -76, resolutionDue: -40),
            // Open, answered, 1 h left of a 10 h resolution window: near breach.
            Self.record("d", .addIngressCIDRs, .inProgress, submitted: -9, responded: -8, responseDue: -1, resolutionDue: 1),
            // Open, unanswered and past its response deadline: breached.
            Self.record("e", .addCustomDomain, .submitted, submitted: -30, responseDue: -2, resolutionDue: 300),
            // Open with no clock at all.
            Self.record("f", .restartFrontend, .inProgress, submitted: -1),
            // Resolved before the period: not counted.
            Self.record("g", .suspend, .done, submitted: -2000, responded: -1999, resolved: -1990, responseDue: -1976, resolutionDue: -1900),
        ]
        let report = SLAReport.build(records, from: Self.at(-720), to: Self.now, now: Self.now)
        let suspend = report.kinds.first { $0.kind == .suspend }
        #expect(suspend?.response == SLAReport.Tally(met: 2, breached: 1))
        #expect(suspend?.resolution == SLAReport.Tally(met: 2, breached: 1))
        #expect(suspend?.done == 3)
        #expect(suspend?.medianSecondsToResolution == 50 * 3600)
        #expect(report.open.map(\.id) == ["e", "d", "f"])
        let near = report.open.first { $0.id == "d" }
        #expect(near?.clock == .resolution && near?.secondsLeft == 3600 && near?.nearBreach == true && near?.breached == false)
        let late = report.open.first { $0.id == "e" }
        #expect(late?.clock == .response && late?.breached == true && late?.nearBreach == false)
        #expect(report.open.first { $0.id == "f" }?.clock == nil)
        #expect(report.nearBreach == 1 && report.breached == 1)
        #expect(report.kinds.first { $0.kind == .addCustomDomain }?.response.breached == 1)
    }

    @Test("the median of an even count is the lower middle value")
    func median() {
        #expect(SLAReport.median([]) == nil)
        #expect(SLAReport.median([5]) == 5)
        #expect(SLAReport.median([9, 1, 5, 3]) == 3)
    }
}

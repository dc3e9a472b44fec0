import ArgumentParser
import Foundation
import WharfCore

/// SLA deadlines for a large queue (issue 3: 100,000 requests in under 200 ms): every kind, submission
/// times spread over two years, on a calendar with DST and holidays, as the report computes them.
struct DeadlineBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deadlines", abstract: "Time SLA deadline computation.")

    @Option(help: "Requests to compute deadlines for.") var requests = 100_000
    @Option(help: "Runs; the best and the worst are reported.") var runs = 5

    func run() throws {
        let holidays = try (2026...2028).flatMap { year in
            try ["01-01", "05-01", "10-03", "12-24", "12-25", "12-26", "12-31"].map { try LocalDate.parse("\(year)-\($0)") }
        }
        let calendar = try WorkingCalendar(timeZone: TimeZone(identifier: "Europe/Berlin")!, holidays: Set(holidays))
        let start = WharfJSON.parseTimestamp("2026-01-01T00:00:00Z")!
        let kinds = RequestKind.allCases
        let inputs = (0..<requests).map { n in
            (kinds[n % kinds.count], start.addingTimeInterval(TimeInterval((n &* 7_919) % (2 * 365 * 86_400))))
        }
        var times: [Double] = []
        var checksum = 0.0
        for _ in 0..<runs {
            let began = ContinuousClock.now
            for (kind, submitted) in inputs {
                let deadlines = RequestDeadlines.compute(kind: kind, submittedAt: submitted, agreedAt: nil, releasedAt: submitted, calendar: calendar)
                checksum += (deadlines.resolutionDue ?? submitted).timeIntervalSince1970
            }
            times.append((ContinuousClock.now - began) / .milliseconds(1))
        }
        let best = times.min()!, worst = times.max()!
        print(String(format: "deadlines for %d requests: best %.1f ms, worst %.1f ms of %d runs (target < 200 ms, ratio %.2f)", requests, best, worst, runs, worst / 200))
        if checksum.isNaN { print("unreachable") }
    }
}

import Foundation

/// The fleet SLA report (SPEC §1): every open request with the time left on its running clock, and
/// per kind over a period the deadlines met and breached and the median time to resolution. Built by a
/// pure function from the indexed members of requests, so it is fast and tested without a store.
public struct SLAReport: Codable, Sendable, Equatable {
    /// A request's clocks, as the store keeps them next to the request.
    public struct Record: Sendable, Equatable {
        public var id: String
        public var kind: RequestKind
        public var instance: String
        public var state: RequestState
        public var submittedAt: Date
        public var respondedAt: Date?
        public var resolvedAt: Date?
        public var responseDue: Date?
        public var resolutionDue: Date?
        public var resolutionStart: Date?

        public init(
            id: String, kind: RequestKind, instance: String, state: RequestState, submittedAt: Date, respondedAt: Date?, resolvedAt: Date?,
            responseDue: Date?, resolutionDue: Date?, resolutionStart: Date?
        ) {
            self.id = id
            self.kind = kind
            self.instance = instance
            self.state = state
            self.submittedAt = submittedAt
            self.respondedAt = respondedAt
            self.resolvedAt = resolvedAt
            self.responseDue = responseDue
            self.resolutionDue = resolutionDue
            self.resolutionStart = resolutionStart
        }
    }

    public enum Clock: String, WireEnum { case response, resolution }

    /// An open request and where its running clock stands.
    public struct OpenRequest: Codable, Sendable, Equatable {
        public var id: String
        public var kind: RequestKind
        public var instance: String
        public var state: RequestState
        /// The clock running now: the response clock until the request is answered, then the resolution clock.
        public var clock: Clock?
        public var due: Date?
        /// Seconds until `due`; negative once it has passed.
        public var secondsLeft: Int?
        public var nearBreach: Bool
        public var breached: Bool
    }

    /// Deadlines met and breached over the period.
    public struct Tally: Codable, Sendable, Equatable {
        public var met = 0
        public var breached = 0
    }

    public struct KindSummary: Codable, Sendable, Equatable {
        public var kind: RequestKind
        public var response = Tally()
        public var resolution = Tally()
        public var done = 0
        /// Median seconds from submission to done, over the requests done in the period.
        public var medianSecondsToResolution: Int?
    }

    public var generatedAt: Date
    public var from: Date
    public var to: Date
    public var open: [OpenRequest]
    public var nearBreach: Int
    public var breached: Int
    public var kinds: [KindSummary]

    /// A request is near breach when less than this share of its running window is left.
    public static let nearBreachShare = 0.2

    public static func build(_ records: [Record], from: Date, to: Date, now: Date) -> SLAReport {
        var open: [OpenRequest] = []
        var kinds: [RequestKind: KindSummary] = [:]
        var durations: [RequestKind: [Int]] = [:]
        let period = from...to
        for record in records {
            if record.state.isOpen { open.append(openRequest(record, now: now)) }
            var summary = kinds[record.kind] ?? KindSummary(kind: record.kind)
            if let due = record.responseDue {
                if let answered = record.respondedAt, period.contains(answered) {
                    answered <= due ? (summary.response.met += 1) : (summary.response.breached += 1)
                } else if record.respondedAt == nil, record.state.isOpen, period.contains(due), due < now {
                    summary.response.breached += 1
                }
            }
            if let due = record.resolutionDue {
                if let resolved = record.resolvedAt, period.contains(resolved), record.state == .done || record.state == .failed {
                    resolved <= due && record.state == .done ? (summary.resolution.met += 1) : (summary.resolution.breached += 1)
                } else if record.state.isOpen, period.contains(due), due < now {
                    summary.resolution.breached += 1
                }
            }
            if record.state == .done, let resolved = record.resolvedAt, period.contains(resolved) {
                summary.done += 1
                durations[record.kind, default: []].append(Int(resolved.timeIntervalSince(record.submittedAt)))
            }
            kinds[record.kind] = summary
        }
        for (kind, values) in durations { kinds[kind]?.medianSecondsToResolution = median(values) }
        open.sort { ($0.secondsLeft ?? .max, $0.id) < ($1.secondsLeft ?? .max, $1.id) }
        return SLAReport(
            generatedAt: now, from: from, to: to, open: open, nearBreach: open.filter(\.nearBreach).count, breached: open.filter(\.breached).count,
            kinds: RequestKind.allCases.compactMap { kinds[$0] }
        )
    }

    /// Where the running clock of an open request stands at `now`.
    public static func openRequest(_ record: Record, now: Date) -> OpenRequest {
        let running: (Clock, Date, Date)? =
            if record.respondedAt == nil, let due = record.responseDue {
                (.response, record.submittedAt, due)
            } else if let due = record.resolutionDue {
                (.resolution, record.resolutionStart ?? record.submittedAt, due)
            } else {
                nil
            }
        guard let (clock, start, due) = running else {
            return OpenRequest(id: record.id, kind: record.kind, instance: record.instance, state: record.state, clock: nil, due: nil, secondsLeft: nil, nearBreach: false, breached: false)
        }
        let left = due.timeIntervalSince(now)
        let window = due.timeIntervalSince(start)
        return OpenRequest(
            id: record.id, kind: record.kind, instance: record.instance, state: record.state, clock: clock, due: due, secondsLeft: Int(left.rounded(.down)),
            nearBreach: left > 0 && left < window * nearBreachShare, breached: left <= 0
        )
    }

    /// The median of whole seconds; the lower middle value for an even count, so it is a real duration.
    static func median(_ values: [Int]) -> Int? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return sorted[(sorted.count - 1) / 2]
    }
}

import Foundation

/// A request's SLA deadlines (SPEC §1): the response deadline runs from submission; the resolution
/// deadline from submission, the agreed date or the release, as the kind's policy says. Extensions move
/// the resolution deadline on, each by its own duration on the same calendar.
public struct RequestDeadlines: Codable, Sendable, Equatable {
    public var responseDue: Date?
    public var resolutionDue: Date?
    /// Where the resolution window opens (before extensions), so a report can tell how much is left.
    public var resolutionStart: Date?

    public init(responseDue: Date?, resolutionDue: Date?, resolutionStart: Date? = nil) {
        self.responseDue = responseDue
        self.resolutionDue = resolutionDue
        self.resolutionStart = resolutionStart
    }

    public static func compute(
        kind: RequestKind, submittedAt: Date, agreedAt: Date? = nil, releasedAt: Date? = nil, extensions: [SLADuration] = [],
        calendar: WorkingCalendar
    ) -> RequestDeadlines {
        let policy = kind.policy
        let responseDue = policy.response.map { calendar.deadline(from: submittedAt, adding: $0) }
        guard let window = policy.resolution else { return RequestDeadlines(responseDue: responseDue, resolutionDue: nil) }
        let start: Date =
            switch policy.resolutionFrom {
            case .submission: submittedAt
            case .agreement: max(agreedAt ?? submittedAt, submittedAt)
            case .release: releasedAt ?? submittedAt
            }
        let resolutionDue = extensions.reduce(calendar.deadline(from: start, adding: window)) { due, extra in calendar.deadline(from: due, adding: extra) }
        return RequestDeadlines(responseDue: responseDue, resolutionDue: resolutionDue, resolutionStart: start)
    }
}

/// How long an SLA window is (SPEC §1): working days on the SLA calendar, or elapsed hours, or calendar
/// days (weeks are seven of them) at the same wall-clock time.
public enum SLADuration: Sendable, Equatable, Hashable, CustomStringConvertible {
    case workingDays(Int)
    case hours(Int)
    case days(Int)

    public static func weeks(_ weeks: Int) -> SLADuration { .days(weeks * 7) }

    public var description: String {
        switch self {
        case .workingDays(let n): n == 1 ? "1 working day" : "\(n) working days"
        case .hours(let n): "\(n) h"
        case .days(let n) where n % 7 == 0: n == 7 ? "1 week" : "\(n / 7) weeks"
        case .days(let n): n == 1 ? "1 day" : "\(n) days"
        }
    }
}

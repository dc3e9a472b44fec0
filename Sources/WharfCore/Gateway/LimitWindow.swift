import Foundation

/// The windows gateway limits count in. They are calendar-aligned in UTC, so every replica agrees on where
/// a window starts without talking to the others, and "this month" means the calendar month.
public enum LimitWindow: String, Codable, Sendable, CaseIterable {
    case minute, day, month

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// The start of the window that holds `date`.
    public func start(of date: Date) -> Date {
        switch self {
        case .minute: return Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 60).rounded(.down) * 60)
        case .day: return Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
        case .month: return Self.utc.dateInterval(of: .month, for: date)!.start
        }
    }

    /// `start(of:)` in whole milliseconds since 1970, as the shared counters are keyed.
    public func startMilliseconds(of date: Date) -> Int64 {
        Int64((start(of: date).timeIntervalSince1970 * 1000).rounded())
    }

    /// When the window that holds `date` ends and its counts start again from zero.
    public func end(of date: Date) -> Date {
        switch self {
        case .minute: return start(of: date).addingTimeInterval(60)
        case .day: return start(of: date).addingTimeInterval(86_400)
        case .month: return Self.utc.dateInterval(of: .month, for: date)!.end
        }
    }
}

import Foundation

/// The calendar SLA clocks run on: a time zone, weekend days, holidays and the working hours of a day.
///
/// "N working days from t" is the same wall-clock time on the N-th working day after t. A request that
/// arrives outside working hours starts its clock when the next working day begins, so a request sent on
/// Saturday night is due, with one working day, at the start of Tuesday (Monday being its first day).
public struct WorkingCalendar: Sendable {
    public let timeZone: TimeZone
    public let weekend: Set<Weekday>
    public let holidays: Set<LocalDate>
    /// Working hours, as hours of the local day: `start..<end`.
    public let workingHours: Range<Int>
    private let zone: ZoneOffsets

    public init(
        timeZone: TimeZone = TimeZone(identifier: "UTC")!, weekend: Set<Weekday> = [.saturday, .sunday],
        holidays: Set<LocalDate> = [], workingHours: Range<Int> = 9..<17
    ) throws(WharfError) {
        var v = Validator()
        if weekend.count >= 7 { v.add("weekend", "no_working_days", "leaves no working day in the week") }
        if workingHours.lowerBound < 0 || workingHours.upperBound > 24 || workingHours.isEmpty {
            v.add("workingHours", "out_of_range", "must be a non-empty range of hours within 0–24 (got \(workingHours))")
        }
        try v.finish()
        self.timeZone = timeZone
        self.weekend = weekend
        self.holidays = holidays
        self.workingHours = workingHours
        self.zone = ZoneOffsets(timeZone)
    }

    /// UTC, Monday to Friday, 9:00–17:00, no holidays.
    public static let standard = try! WorkingCalendar()

    public func isWorkingDay(_ date: LocalDate) -> Bool { !weekend.contains(date.weekday) && !holidays.contains(date) }

    /// The local date of an instant on this calendar.
    public func localDate(_ instant: Date) -> LocalDate {
        LocalDate(dayNumber: Int(Self.floorDivide(zone.local(Self.seconds(instant)), 86_400)))
    }

    /// When the window `duration` that opens at `start` closes.
    public func deadline(from start: Date, adding duration: SLADuration) -> Date {
        let startSeconds = Self.seconds(start)
        switch duration {
        case .hours(let hours):
            return Date(timeIntervalSince1970: TimeInterval(startSeconds + Int64(hours) * 3600))
        case .days(let days):
            let local = zone.local(startSeconds) + Int64(days) * 86_400
            return Date(timeIntervalSince1970: TimeInterval(zone.instant(local: local)))
        case .workingDays(let count):
            let (day, secondOfDay) = clockStart(localSeconds: zone.local(startSeconds))
            var date = day
            var remaining = count
            while remaining > 0 {
                date = date.adding(days: 1)
                if isWorkingDay(date) { remaining -= 1 }
            }
            let local = Int64(date.dayNumber) * 86_400 + secondOfDay
            return Date(timeIntervalSince1970: TimeInterval(zone.instant(local: local)))
        }
    }

    /// Where a working-day clock starts for a local time: the time itself during working hours, otherwise
    /// the start of the next working hours (later the same day if it is a working day before they begin).
    func clockStart(localSeconds: Int64) -> (LocalDate, Int64) {
        let day = LocalDate(dayNumber: Int(Self.floorDivide(localSeconds, 86_400)))
        let secondOfDay = localSeconds - Int64(day.dayNumber) * 86_400
        let opens = Int64(workingHours.lowerBound) * 3600
        let closes = Int64(workingHours.upperBound) * 3600
        if isWorkingDay(day) {
            if secondOfDay < opens { return (day, opens) }
            if secondOfDay < closes { return (day, secondOfDay) }
        }
        var next = day.adding(days: 1)
        while !isWorkingDay(next) { next = next.adding(days: 1) }
        return (next, opens)
    }

    static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }

    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
}

import Foundation
import Testing
import WharfCore
import WharfTesting

@Suite("SLA working calendar")
struct WorkingCalendarTests {
    static func utc(_ text: String) -> Date { WharfJSON.parseTimestamp(text)! }

    @Test func localDatesRoundTripAndKnowTheirWeekday() throws {
        #expect(try LocalDate.parse("2026-11-21").weekday == .saturday)
        #expect(try LocalDate.parse("1970-01-01").dayNumber == 0)
        #expect(try LocalDate.parse("2024-02-29").adding(days: 1).description == "2024-03-01")
        #expect(try LocalDate.parse("1969-12-31").weekday == .wednesday)
        for text in ["2026-02-30", "2026-13-01", "26-01-01", "2026-1-01", "yesterday"] {
            #expect(throws: FieldProblem.self, "\(text)") { try LocalDate.parse(text) }
        }
        for day in stride(from: -800_000, to: 800_000, by: 997) {
            let date = LocalDate(dayNumber: day)
            let (y, m, d) = date.components
            #expect(LocalDate(year: y, month: m, day: d) == date)
        }
    }

    @Test("working days skip weekends and start outside working hours at the next opening", arguments: [
        ("2026-11-18T14:00:00Z", 1, "2026-11-19T14:00:00Z"),  // Wednesday afternoon → Thursday
        ("2026-11-20T10:00:00Z", 1, "2026-11-23T10:00:00Z"),  // Friday → Monday
        ("2026-11-21T22:00:00Z", 1, "2026-11-24T09:00:00Z"),  // Saturday night: clock starts Monday 09:00
        ("2026-11-19T18:00:00Z", 1, "2026-11-23T09:00:00Z"),  // Thursday after hours: starts Friday 09:00
        ("2026-11-18T07:00:00Z", 1, "2026-11-19T09:00:00Z"),  // Wednesday before hours: starts Wednesday 09:00
        ("2026-11-18T16:59:59Z", 1, "2026-11-19T16:59:59Z"),  // last second of the working day still counts
        ("2026-11-02T10:00:00Z", 15, "2026-11-23T10:00:00Z"),  // three weeks of working days
        ("2026-11-18T14:00:00Z", 0, "2026-11-18T14:00:00Z"),
    ])
    func workingDays(start: String, days: Int, due: String) throws {
        let calendar = try WorkingCalendar()
        #expect(calendar.deadline(from: Self.utc(start), adding: .workingDays(days)) == Self.utc(due))
    }

    @Test func holidaysAreSkipped() throws {
        let holidays: Set<LocalDate> = [try .parse("2026-12-24"), try .parse("2026-12-25"), try .parse("2026-12-31"), try .parse("2027-01-01")]
        let calendar = try WorkingCalendar(holidays: holidays)
        #expect(calendar.deadline(from: Self.utc("2026-12-23T10:00:00Z"), adding: .workingDays(1)) == Self.utc("2026-12-28T10:00:00Z"))
        #expect(calendar.deadline(from: Self.utc("2026-12-23T10:00:00Z"), adding: .workingDays(4)) == Self.utc("2027-01-04T10:00:00Z"))
        #expect(calendar.deadline(from: Self.utc("2026-12-24T11:00:00Z"), adding: .workingDays(1)) == Self.utc("2026-12-29T09:00:00Z"))
        #expect(try !calendar.isWorkingDay(.parse("2026-12-25")))
        #expect(try calendar.isWorkingDay(.parse("2026-12-28")))
    }

    @Test func otherWeekendsAndWorkingHours() throws {
        let calendar = try WorkingCalendar(weekend: [.friday, .saturday], workingHours: 8..<16)
        // Thursday 15:00 → Sunday 15:00, Friday and Saturday being the weekend.
        #expect(calendar.deadline(from: Self.utc("2026-11-19T15:00:00Z"), adding: .workingDays(1)) == Self.utc("2026-11-22T15:00:00Z"))
        #expect(calendar.deadline(from: Self.utc("2026-11-19T16:30:00Z"), adding: .workingDays(1)) == Self.utc("2026-11-23T08:00:00Z"))
    }

    @Test func daylightSavingTimeKeepsTheWallClock() throws {
        let berlin = try WorkingCalendar(timeZone: TimeZone(identifier: "Europe/Berlin")!)
        // Spring forward on Sunday 2026-03-29: Friday 10:00 CET → Monday 10:00 CEST, 71 hours later.
        #expect(berlin.deadline(from: Self.utc("2026-03-27T09:00:00Z"), adding: .workingDays(1)) == Self.utc("2026-03-30T08:00:00Z"))
        // Fall back on Sunday 2026-10-25: Friday 10:00 CEST → Monday 10:00 CET, 73 hours later.
        #expect(berlin.deadline(from: Self.utc("2026-10-23T08:00:00Z"), adding: .workingDays(1)) == Self.utc("2026-10-26T09:00:00Z"))
        // Calendar days keep the wall clock; hours are elapsed time.
        #expect(berlin.deadline(from: Self.utc("2026-03-28T11:00:00Z"), adding: .days(1)) == Self.utc("2026-03-29T10:00:00Z"))
        #expect(berlin.deadline(from: Self.utc("2026-03-28T11:00:00Z"), adding: .hours(24)) == Self.utc("2026-03-29T11:00:00Z"))
        // 02:30 does not exist on 2026-03-29: the wall clock moves on to 03:30 CEST.
        #expect(berlin.deadline(from: Self.utc("2026-03-28T01:30:00Z"), adding: .days(1)) == Self.utc("2026-03-29T01:30:00Z"))
        // 02:30 happens twice on 2026-10-25: the first one counts.
        #expect(berlin.deadline(from: Self.utc("2026-10-24T00:30:00Z"), adding: .days(1)) == Self.utc("2026-10-25T00:30:00Z"))
        #expect(berlin.localDate(Self.utc("2026-03-28T23:30:00Z")).description == "2026-03-29")
    }

    @Test("the offset table agrees with Foundation", arguments: ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "Pacific/Chatham", "UTC"])
    func offsetsMatchFoundation(zone identifier: String) throws {
        let zone = try #require(TimeZone(identifier: identifier))
        let calendar = try WorkingCalendar(timeZone: zone)
        var generator = SplitMix(seed: 42)
        var foundation = Calendar(identifier: .gregorian)
        foundation.timeZone = zone
        for _ in 0..<2_000 {
            let instant = Date(timeIntervalSince1970: TimeInterval(generator.next() % 3_000_000_000))
            let parts = foundation.dateComponents([.year, .month, .day], from: instant)
            #expect(calendar.localDate(instant) == LocalDate(year: parts.year!, month: parts.month!, day: parts.day!), "\(instant)")
            let due = calendar.deadline(from: instant, adding: .weeks(2))
            let expected = foundation.date(byAdding: .day, value: 14, to: instant)!
            let wallClock = foundation.dateComponents([.hour, .minute, .second], from: instant)
            // Where the wall-clock time exists once on the due day, both agree.
            if foundation.dateComponents([.hour, .minute, .second], from: expected) == wallClock, zone.secondsFromGMT(for: expected) == zone.secondsFromGMT(for: expected.addingTimeInterval(-7200)) {
                #expect(due == expected, "\(instant)")
            }
        }
    }

    @Test func refusesACalendarWithoutWorkingDays() {
        let error = #expect(throws: WharfError.self) { try WorkingCalendar(weekend: Set(Weekday.allCases)) }
        #expect(error?.fieldErrors.map(\.field) == ["weekend"])
        let hours = #expect(throws: WharfError.self) { try WorkingCalendar(workingHours: 18..<25) }
        #expect(hours?.fieldErrors.map(\.field) == ["workingHours"])
    }
}

@Suite("Holiday file")
struct HolidayFileTests {
    @Test func readsDatesNamesAndComments() throws {
        let text = """
            # Germany
            2026-12-25  Christmas Day
              2026-12-26 Boxing Day   # second day
            2027-01-01

            """
        let holidays = try HolidayFile.parse(text, path: "holidays.txt")
        #expect(holidays == [try .parse("2026-12-25"): "Christmas Day", try .parse("2026-12-26"): "Boxing Day", try .parse("2027-01-01"): ""])
    }

    @Test func reportsEveryBadLineWithItsPosition() {
        let text = "2026-12-25 Christmas\n  2026-13-01 Smarch\n2026-12-25 again\nChristmas 2026-12-25\n"
        let error = #expect(throws: WharfError.self) { try HolidayFile.parse(text, path: "cal/holidays.txt") }
        #expect(error?.code == .configuration)
        #expect(error?.fieldErrors.map(\.field) == ["cal/holidays.txt:2:3", "cal/holidays.txt:3:1", "cal/holidays.txt:4:1"])
        #expect(error?.fieldErrors.map(\.code) == ["invalid_date", "duplicate", "invalid_date"])
        #expect(error?.fieldErrors[1].message == "2026-12-25 is listed already on line 1")
    }
}

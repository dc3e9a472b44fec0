import Foundation
import Testing
import WharfCore

@testable import WharfServer

@Suite("SLA calendar settings")
struct SLACalendarSettingsTests {
    @Test("reads the zone, weekend, hours and holiday file from WHARF_SLA_*")
    func reads() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("holidays-\(UUID().uuidString).txt")
        try "# Germany\n2026-12-25 Christmas\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let calendar = try SLACalendarSettings.calendar(from: [
            "WHARF_SLA_TIMEZONE": "Europe/Berlin", "WHARF_SLA_WEEKEND": "friday, saturday", "WHARF_SLA_WORKING_HOURS": "8-16",
            "WHARF_SLA_HOLIDAYS": file.path,
        ])
        #expect(calendar.timeZone.identifier == "Europe/Berlin")
        #expect(calendar.weekend == [.friday, .saturday])
        #expect(calendar.workingHours == 8..<16)
        #expect(calendar.holidays == [try LocalDate.parse("2026-12-25")])
        #expect(try SLACalendarSettings.calendar(from: [:]).weekend == [.saturday, .sunday])
    }

    @Test("each bad value is refused naming its variable; a bad holiday file names the line")
    func refuses() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("holidays-\(UUID().uuidString).txt")
        try "2026-12-25\n2026-13-01 nope\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let cases: [([String: String], String)] = [
            (["WHARF_SLA_TIMEZONE": "Mars/Olympus"], "WHARF_SLA_TIMEZONE"),
            (["WHARF_SLA_WEEKEND": "saturday,funday"], "WHARF_SLA_WEEKEND"),
            (["WHARF_SLA_WORKING_HOURS": "17-9"], "WHARF_SLA_WORKING_HOURS"),
            (["WHARF_SLA_HOLIDAYS": "/nonexistent/holidays.txt"], "WHARF_SLA_HOLIDAYS"),
            (["WHARF_SLA_WORKING_HOURS": "0-30"], "workingHours"),
        ]
        for (environment, named) in cases {
            let error = #expect(throws: WharfError.self) { try SLACalendarSettings.calendar(from: environment) }
            #expect(error?.message.contains(named) == true, "\(environment)")
        }
        let holidays = #expect(throws: WharfError.self) { try SLACalendarSettings.calendar(from: ["WHARF_SLA_HOLIDAYS": file.path]) }
        #expect(holidays?.fieldErrors.first?.field.hasPrefix("\(file.path):2:") == true)
    }
}

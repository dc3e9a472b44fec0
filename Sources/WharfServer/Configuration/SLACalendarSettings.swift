import Foundation
import WharfCore

/// Builds the SLA calendar from `WHARF_SLA_*` environment variables; each error names the variable (and,
/// for the holiday file, every bad line as file:line:column).
///
/// - `WHARF_SLA_TIMEZONE`: an IANA zone such as `Europe/Berlin` (default UTC)
/// - `WHARF_SLA_WEEKEND`: comma-separated weekdays (default `saturday,sunday`)
/// - `WHARF_SLA_WORKING_HOURS`: `START-END` in whole hours (default `9-17`)
/// - `WHARF_SLA_HOLIDAYS`: path of a holiday file (one `YYYY-MM-DD [name]` per line)
enum SLACalendarSettings {
    static func calendar(from environment: [String: String]) throws(WharfError) -> WorkingCalendar {
        var timeZone = TimeZone(identifier: "UTC")!
        if let name = environment["WHARF_SLA_TIMEZONE"] {
            guard let zone = TimeZone(identifier: name) else {
                throw WharfError(.configuration, "WHARF_SLA_TIMEZONE must be an IANA time zone such as Europe/Berlin (got '\(name)')")
            }
            timeZone = zone
        }
        var weekend: Set<Weekday> = [.saturday, .sunday]
        if let text = environment["WHARF_SLA_WEEKEND"] {
            let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
            let days = names.compactMap(Weekday.init(rawValue:))
            guard days.count == names.count else {
                throw WharfError(.configuration, "WHARF_SLA_WEEKEND must list weekdays separated by commas, like saturday,sunday (got '\(text)')")
            }
            weekend = Set(days)
        }
        var hours = 9..<17
        if let text = environment["WHARF_SLA_WORKING_HOURS"] {
            let parts = text.split(separator: "-").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, parts[0] < parts[1] else {
                throw WharfError(.configuration, "WHARF_SLA_WORKING_HOURS must be START-END in whole hours, like 9-17 (got '\(text)')")
            }
            hours = parts[0]..<parts[1]
        }
        var holidays: Set<LocalDate> = []
        if let path = environment["WHARF_SLA_HOLIDAYS"] {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw WharfError(.configuration, "WHARF_SLA_HOLIDAYS names \(path), which cannot be read")
            }
            holidays = Set(try HolidayFile.parse(String(decoding: data, as: UTF8.self), path: path).keys)
        }
        do {
            return try WorkingCalendar(timeZone: timeZone, weekend: weekend, holidays: holidays, workingHours: hours)
        } catch {
            throw WharfError(.configuration, "the SLA calendar is invalid: " + error.fieldErrors.map { "\($0.field) \($0.message)" }.joined(separator: "; "))
        }
    }
}

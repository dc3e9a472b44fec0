import Foundation

/// The holidays of the SLA calendar, read from a plain text file an operator edits: one `YYYY-MM-DD` per
/// line, optionally followed by a name; `#` starts a comment. Every bad line is reported as
/// `file:line:column` with what is wrong, and nothing is used from a file with errors.
///
/// ```
/// # Germany, 2026
/// 2026-12-25  Christmas Day
/// 2026-12-26  Boxing Day
/// ```
public enum HolidayFile {
    public static func parse(_ text: String, path: String) throws(WharfError) -> [LocalDate: String] {
        var holidays: [LocalDate: String] = [:]
        var firstLine: [LocalDate: Int] = [:]
        var problems: [FieldError] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            guard let start = line.firstIndex(where: { !$0.isWhitespace }) else { continue }
            let column = line.distance(from: line.startIndex, to: start) + 1
            let rest = line[start...]
            let dateText = rest.prefix { !$0.isWhitespace }
            let name = rest.dropFirst(dateText.count).trimmingCharacters(in: .whitespaces)
            let location = "\(path):\(lineNumber):\(column)"
            do {
                let date = try LocalDate.parse(dateText)
                if let earlier = firstLine[date] {
                    problems.append(FieldError(location, "duplicate", "\(date) is listed already on line \(earlier)"))
                } else {
                    holidays[date] = name
                    firstLine[date] = lineNumber
                }
            } catch {
                problems.append(FieldError(location, error.code, "\(error.message); a line is a date, then an optional name"))
            }
        }
        if !problems.isEmpty {
            throw WharfError(.configuration, "the holiday file \(path) has \(problems.count) bad line\(problems.count == 1 ? "" : "s")", fieldErrors: problems)
        }
        return holidays
    }
}

/// A five-field cron expression (minute hour day-of-month month day-of-week), read far enough to tell how
/// often it can fire.
struct CronSchedule {
    let minutes: [Int]
    let hours: [Int]

    /// The expression, or why it is not one.
    static func parse(_ text: String) -> Result<CronSchedule, CronError> {
        let fields = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 5 else { return .failure(CronError("'\(text)' has \(fields.count) fields; cron has five: minute hour day-of-month month day-of-week")) }
        let ranges = [0...59, 0...23, 1...31, 1...12, 0...7]
        let names = ["minute", "hour", "day-of-month", "month", "day-of-week"]
        var expanded: [[Int]] = []
        for (index, field) in fields.enumerated() {
            guard let values = expand(field, ranges[index]) else {
                return .failure(CronError("the \(names[index]) field '\(field)' is not valid; use *, a number from \(ranges[index].lowerBound) to \(ranges[index].upperBound), a range a-b, a list a,b or a step */n"))
            }
            expanded.append(values)
        }
        return .success(CronSchedule(minutes: expanded[0], hours: expanded[1]))
    }

    /// The shortest time between two runs, in minutes (within an hour, and across consecutive hours).
    var shortestIntervalMinutes: Int {
        var gaps = zip(minutes, minutes.dropFirst()).map { $1 - $0 }
        let everyHour = Set(hours).count == 24 || zip(hours, hours.dropFirst()).contains { $1 - $0 == 1 }
        if everyHour, let first = minutes.first, let last = minutes.last { gaps.append(60 - last + first) }
        return gaps.min() ?? 24 * 60
    }

    private static func expand(_ field: String, _ range: ClosedRange<Int>) -> [Int]? {
        var values = Set<Int>()
        for part in field.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { return nil }
            let step = pieces.count == 2 ? Int(pieces[1]) : 1
            guard let step, step > 0 else { return nil }
            let span: ClosedRange<Int>
            if pieces[0] == "*" {
                span = range
            } else if let dash = pieces[0].firstIndex(of: "-") {
                guard let low = Int(pieces[0][..<dash]), let high = Int(pieces[0][pieces[0].index(after: dash)...]), low <= high else { return nil }
                span = low...high
            } else {
                guard let value = Int(pieces[0]) else { return nil }
                span = value...(pieces.count == 2 ? range.upperBound : value)
            }
            guard range.contains(span.lowerBound), range.contains(span.upperBound) else { return nil }
            values.formUnion(stride(from: span.lowerBound, through: span.upperBound, by: step))
        }
        return values.sorted()
    }
}

struct CronError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

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

extension SLADuration: StringCodable {
    /// The compact form used on the wire and by the CLI: `2wd` (working days), `48h`, `3d`, `1w`.
    public var compact: String {
        switch self {
        case .workingDays(let n): "\(n)wd"
        case .hours(let n): "\(n)h"
        case .days(let n) where n % 7 == 0: "\(n / 7)w"
        case .days(let n): "\(n)d"
        }
    }

    public static func parse(_ text: String) throws(FieldProblem) -> SLADuration {
        let units: [(suffix: String, make: (Int) -> SLADuration)] = [("wd", { .workingDays($0) }), ("h", { .hours($0) }), ("d", { .days($0) }), ("w", { .weeks($0) })]
        for unit in units where text.hasSuffix(unit.suffix) {
            if let count = Int(text.dropLast(unit.suffix.count)), (1...999).contains(count), !text.hasPrefix("+") { return unit.make(count) }
        }
        throw FieldProblem("invalid_duration", "must be a count from 1 to 999 and a unit: wd (working days), h, d or w, like 2wd or 48h (got '\(text)')")
    }

    public static func parseText(_ text: String) throws(FieldProblem) -> SLADuration { try parse(text) }

    public var encodedText: String { compact }
}

/// A closed set of string values on the wire. Decoding an unknown value fails with a message that lists the
/// allowed ones, which is what a user needs to fix the input.
public protocol WireEnum: CaseIterable, Codable, Sendable, Hashable, RawRepresentable where RawValue == String {}

extension WireEnum {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let value = Self(rawValue: raw) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: Self.mustBeOneOf(raw))
        }
        self = value
    }

    /// Parses a query parameter or a CLI flag with the same message as the JSON decoder.
    public static func parse(_ raw: String) throws(FieldProblem) -> Self {
        guard let value = Self(rawValue: raw) else { throw FieldProblem("invalid_value", mustBeOneOf(raw)) }
        return value
    }

    public static var allowedValues: [String] { allCases.map(\.rawValue) }

    static func mustBeOneOf(_ raw: String) -> String {
        "must be one of \(allowedValues.joined(separator: ", ")) (got '\(raw)')"
    }
}

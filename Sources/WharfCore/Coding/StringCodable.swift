/// A value written in JSON as one string (a date, a duration) with its own parser, whose error message
/// becomes the decoding error, so the API reports the field and what a valid value looks like.
public protocol StringCodable: Codable {
    static func parseText(_ text: String) throws(FieldProblem) -> Self
    var encodedText: String { get }
}

extension StringCodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        do {
            self = try Self.parseText(try container.decode(String.self))
        } catch let problem as FieldProblem {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: problem.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(encodedText)
    }
}

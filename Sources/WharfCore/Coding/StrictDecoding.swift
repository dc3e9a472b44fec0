/// Rejects JSON object members a type does not know. A misspelt field that is silently ignored is a
/// change the user thinks they made and did not, so inputs refuse unknown members instead.
extension Decoder {
    public func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws {
        guard userInfo[.lenient] as? Bool != true else { return }
        let known = Set(Keys.allCases.map(\.stringValue))
        let container = try self.container(keyedBy: AnyCodingKey.self)
        if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !known.contains($0) }) {
            throw UnknownFieldError(field: FieldPath.format(codingPath + [AnyCodingKey(stringValue: unknown)]), allowed: known.sorted())
        }
    }
}

extension CodingUserInfoKey {
    /// Set by `WharfJSON.lenientDecoder()`: unknown members are ignored.
    static let lenient = CodingUserInfoKey(rawValue: "wharf.lenient")!
}

/// Thrown by `rejectUnknownKeys`; the server turns it into an `unknown_field` problem at that path.
public struct UnknownFieldError: Error, Sendable {
    /// The unknown member's field path.
    public var field: String
    public var allowed: [String]
}

/// A coding key for any member name.
public struct AnyCodingKey: CodingKey, Sendable {
    public var stringValue: String
    public var intValue: Int?
    public init(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

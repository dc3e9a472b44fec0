import Foundation

/// A JSON object kept as the text it was stored as. Listing pages are built from stored documents
/// without decoding and re-encoding each record, which is most of the cost of a large page.
public struct RawJSON: Codable, Sendable, Equatable {
    public let text: String

    public init(_ text: String) { self.text = text }

    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try WharfJSON.lenientDecoder().decode(type, from: Data(text.utf8))
    }

    public init(from decoder: any Decoder) throws {
        text = String(decoding: try WharfJSON.encoder().encode(try JSONValue(from: decoder)), as: UTF8.self)
    }

    public func encode(to encoder: any Encoder) throws {
        try decode(JSONValue.self).encode(to: encoder)
    }
}

import Foundation
import WharfCore

/// Records are stored as JSON text in their `doc` column.
enum JSONColumn {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try WharfJSON.encoder().encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try WharfJSON.lenientDecoder().decode(type, from: Data(text.utf8))
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}

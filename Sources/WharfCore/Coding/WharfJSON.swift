import Foundation

/// The JSON conventions of the API and the store: RFC 3339 timestamps (fractional seconds accepted on
/// input), sorted keys so output is deterministic.
public enum WharfJSON {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// Decodes what callers send: unknown members are errors (see `rejectUnknownKeys`).
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parseTimestamp(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "must be an RFC 3339 timestamp like 2026-12-01T09:00:00Z (got '\(text)')")
            }
            return date
        }
        return decoder
    }

    /// Decodes what Wharf itself wrote: stored records and server responses. Unknown members are ignored,
    /// so an older CLI reads a newer server's records, and reading the store skips the strict checks.
    public static func lenientDecoder() -> JSONDecoder {
        let decoder = decoder()
        decoder.userInfo[.lenient] = true
        return decoder
    }

    public static func parseTimestamp(_ text: String) -> Date? {
        (try? Date.ISO8601FormatStyle().parse(text))
            ?? (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
    }

    public static func timestamp(_ date: Date) -> String { date.formatted(.iso8601) }

    /// Drops sub-second precision, which RFC 3339 output without fractions cannot carry, so values
    /// round-trip through the store and the API unchanged.
    public static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }
}

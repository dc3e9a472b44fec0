import Foundation

/// Any JSON value, for audit details and diffs where the shape varies.
public enum JSONValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let value = try? c.decode(Bool.self) { self = .bool(value) }
        else if let value = try? c.decode(Double.self) { self = .number(value) }
        else if let value = try? c.decode(String.self) { self = .string(value) }
        else if let value = try? c.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let value): try c.encode(value)
        case .number(let value): try c.encode(value)
        case .string(let value): try c.encode(value)
        case .array(let value): try c.encode(value)
        case .object(let value): try c.encode(value)
        }
    }

    /// The value's JSON form as a tree (through the Wharf encoder, so dates look as they do on the wire).
    public init(encoding value: some Encodable) throws {
        self = try WharfJSON.decoder().decode(JSONValue.self, from: WharfJSON.encoder().encode(value))
    }

    /// Top-level members that differ between two objects, as `{"member": {"from": …, "to": …}}`.
    public static func changes(from before: some Encodable, to after: some Encodable, ignoring: Set<String> = []) throws -> [String: JSONValue] {
        guard case .object(let old) = try JSONValue(encoding: before), case .object(let new) = try JSONValue(encoding: after) else { return [:] }
        var result: [String: JSONValue] = [:]
        for key in Set(old.keys).union(new.keys) where !ignoring.contains(key) && old[key] != new[key] {
            result[key] = .object(["from": old[key] ?? .null, "to": new[key] ?? .null])
        }
        return result
    }
}

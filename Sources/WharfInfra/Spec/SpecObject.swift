import WharfCore
import Yams

/// A type read from one YAML mapping of a spec.
protocol SpecReadable {
    /// Reads the fields from `object`; nil when a required one is missing or invalid (the problem is
    /// recorded). Called with an empty object when the schema is described.
    static func read(_ object: SpecObject) -> Self?
}

/// One mapping of a spec as a reader sees it: each field asked for is checked and recorded, keys nobody
/// asked for are reported with the closest known key, and the same calls describe the JSON Schema.
final class SpecObject {
    let path: String
    let reading: SpecReading
    private let node: Node?
    private var asked: [String] = []
    private var properties: [String: JSONValue] = [:]
    private var requiredKeys: [String] = []

    init(path: String, node: Node?, reading: SpecReading) {
        self.path = path
        self.node = node
        self.reading = reading
    }

    func required<T>(_ key: String, _ type: SpecType<T>, _ description: String) -> T? {
        describe(key, type, description, default: nil)
        requiredKeys.append(key)
        guard !reading.describing else { return nil }
        guard let value = value(for: key) else {
            reading.problem(path, at: node, "the required key '\(key)' is missing")
            return nil
        }
        return type.read(value, SpecReading.join(path, key), reading)
    }

    func optional<T>(_ key: String, _ type: SpecType<T>, _ description: String) -> T? {
        describe(key, type, description, default: nil)
        guard !reading.describing, let value = value(for: key), !Self.isNull(value) else { return nil }
        return type.read(value, SpecReading.join(path, key), reading)
    }

    func optional<T>(_ key: String, _ type: SpecType<T>, default fallback: T, _ description: String) -> T {
        describe(key, type, description, default: type.json?(fallback))
        guard !reading.describing, let value = value(for: key), !Self.isNull(value) else { return fallback }
        return type.read(value, SpecReading.join(path, key), reading) ?? fallback
    }

    /// Reports the keys no reader asked for, each with the closest known key.
    func finish() {
        guard !reading.describing, let mapping = node?.mapping else { return }
        for (key, _) in mapping {
            guard let name = key.string, !asked.contains(name) else { continue }
            reading.problem(SpecReading.join(path, name), at: key, "unknown key '\(name)'\(Suggestion.phrase(for: name, among: asked))")
        }
    }

    /// The JSON Schema of this mapping, from the fields asked for.
    var schema: JSONValue {
        var schema: [String: JSONValue] = ["type": .string("object"), "additionalProperties": .bool(false), "properties": .object(properties)]
        if !requiredKeys.isEmpty { schema["required"] = .array(requiredKeys.map(JSONValue.string)) }
        return .object(schema)
    }

    private func describe<T>(_ key: String, _ type: SpecType<T>, _ description: String, default fallback: JSONValue?) {
        asked.append(key)
        guard reading.describing else { return }
        guard case .object(var schema) = type.schema(reading) else { return }
        schema["description"] = .string(description)
        if let fallback { schema["default"] = fallback }
        properties[key] = .object(schema)
    }

    private func value(for key: String) -> Node? {
        guard let mapping = node?.mapping else { return nil }
        for (name, value) in mapping where name.string == key {
            reading.record(SpecReading.join(path, key), value)
            return value
        }
        return nil
    }

    private static func isNull(_ node: Node) -> Bool { node.null != nil }
}

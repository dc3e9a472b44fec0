import Foundation
import WharfCore
import Yams

/// How one kind of spec value is read from YAML and described in the JSON Schema — one definition for both.
struct SpecType<Value> {
    let schema: (SpecReading) -> JSONValue
    let read: (Node, String, SpecReading) -> Value?
    /// The value as JSON, for schema defaults; nil for types without a scalar form.
    let json: ((Value) -> JSONValue)?
}

extension SpecType where Value == String {
    /// A string, optionally matching `pattern` (anchored) and at most `maxLength` long.
    static func string(pattern: String? = nil, maxLength: Int? = nil, example: String? = nil) -> SpecType {
        var schema: [String: JSONValue] = ["type": .string("string")]
        if let pattern { schema["pattern"] = .string("^\(pattern)$") }
        if let maxLength { schema["maxLength"] = .number(Double(maxLength)) }
        return SpecType(
            schema: { _ in .object(schema) },
            read: { node, path, reading in
                guard let text = node.scalar.map(\.string), node.null == nil else {
                    reading.problem(path, at: node, "must be a string")
                    return nil
                }
                if let maxLength, text.count > maxLength {
                    reading.problem(path, at: node, "'\(text)' is \(text.count) characters long; at most \(maxLength) are allowed")
                    return nil
                }
                if let pattern, text.range(of: "^\(pattern)$", options: .regularExpression) == nil {
                    reading.problem(path, at: node, "'\(text)' is not valid here; it must match \(pattern)\(example.map { ", like '\($0)'" } ?? "")")
                    return nil
                }
                return text
            },
            json: { .string($0) }
        )
    }
}

extension SpecType where Value == Int {
    static func integer(_ range: ClosedRange<Int>) -> SpecType {
        SpecType(
            schema: { _ in .object(["type": .string("integer"), "minimum": .number(Double(range.lowerBound)), "maximum": .number(Double(range.upperBound))]) },
            read: { node, path, reading in
                guard let value = node.int, node.scalar?.style == .plain else {
                    reading.problem(path, at: node, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
                    return nil
                }
                guard range.contains(value) else {
                    reading.problem(path, at: node, "\(value) is out of range; it must be from \(range.lowerBound) to \(range.upperBound)")
                    return nil
                }
                return value
            },
            json: { .number(Double($0)) }
        )
    }

    /// A memory size in mebibytes, written `512Mi` or `2Gi`.
    static func memory(_ range: ClosedRange<Int>) -> SpecType {
        let pattern = "[0-9]+(Mi|Gi)"
        let limits = "from \(MemorySize.text(range.lowerBound)) to \(MemorySize.text(range.upperBound))"
        return SpecType(
            schema: { _ in .object(["type": .string("string"), "pattern": .string("^\(pattern)$")]) },
            read: { node, path, reading in
                guard let text = node.scalar?.string, let mebibytes = MemorySize.mebibytes(text) else {
                    reading.problem(path, at: node, "'\(node.scalar?.string ?? "")' is not a memory size; write it like 512Mi or 2Gi, \(limits)")
                    return nil
                }
                guard range.contains(mebibytes) else {
                    reading.problem(path, at: node, "\(text) is out of range; it must be \(limits)")
                    return nil
                }
                return mebibytes
            },
            json: { .string(MemorySize.text($0)) }
        )
    }
}

extension SpecType where Value == Double {
    static func number(_ range: ClosedRange<Double>) -> SpecType {
        SpecType(
            schema: { _ in .object(["type": .string("number"), "minimum": .number(range.lowerBound), "maximum": .number(range.upperBound)]) },
            read: { node, path, reading in
                guard let value = node.float, node.scalar?.style == .plain else {
                    reading.problem(path, at: node, "must be a number from \(range.lowerBound.formatted()) to \(range.upperBound.formatted())")
                    return nil
                }
                guard range.contains(value) else {
                    reading.problem(path, at: node, "\(value.formatted()) is out of range; it must be from \(range.lowerBound.formatted()) to \(range.upperBound.formatted())")
                    return nil
                }
                return value
            },
            json: { .number($0) }
        )
    }
}

extension SpecType where Value == Bool {
    static var boolean: SpecType {
        SpecType(
            schema: { _ in .object(["type": .string("boolean")]) },
            read: { node, path, reading in
                guard let value = node.bool, node.scalar?.style == .plain else {
                    reading.problem(path, at: node, "must be true or false")
                    return nil
                }
                return value
            },
            json: { .bool($0) }
        )
    }
}

extension SpecType where Value: RawRepresentable & CaseIterable, Value.RawValue == String {
    /// One of the enum's raw values; a near miss gets "did you mean".
    static var choice: SpecType {
        let names = Value.allCases.map(\.rawValue)
        return SpecType(
            schema: { _ in .object(["type": .string("string"), "enum": .array(names.map(JSONValue.string))]) },
            read: { node, path, reading in
                let text = node.scalar?.string ?? ""
                guard let value = Value(rawValue: text) else {
                    reading.problem(path, at: node, "'\(text)' is not one of \(names.joined(separator: ", "))\(Suggestion.phrase(for: text, among: names))")
                    return nil
                }
                return value
            },
            json: { .string($0.rawValue) }
        )
    }
}

extension SpecType where Value: SpecReadable {
    static var object: SpecType {
        SpecType(
            schema: { reading in
                let object = SpecObject(path: "", node: nil, reading: reading)
                _ = Value.read(object)
                return object.schema
            },
            read: { node, path, reading in
                guard node.mapping != nil else {
                    reading.problem(path, at: node, "must be a mapping of keys to values")
                    return nil
                }
                let object = SpecObject(path: path, node: node, reading: reading)
                let value = Value.read(object)
                object.finish()
                return value
            },
            json: nil
        )
    }
}

extension SpecType {
    /// A list of `element`s, at least `minimum` of them; every element is checked.
    static func list<Element>(_ element: SpecType<Element>, minimum: Int = 0) -> SpecType<[Element]> {
        SpecType<[Element]>(
            schema: { reading in .object(["type": .string("array"), "items": element.schema(reading), "minItems": .number(Double(minimum))]) },
            read: { node, path, reading in
                guard let sequence = node.sequence else {
                    reading.problem(path, at: node, "must be a list")
                    return nil
                }
                guard sequence.count >= minimum else {
                    reading.problem(path, at: node, "needs at least \(minimum) entr\(minimum == 1 ? "y" : "ies")")
                    return nil
                }
                var values: [Element] = []
                var complete = true
                for (index, item) in sequence.enumerated() {
                    let itemPath = "\(path)[\(index)]"
                    reading.record(itemPath, item)
                    if let value = element.read(item, itemPath, reading) { values.append(value) } else { complete = false }
                }
                return complete ? values : nil
            },
            json: element.json.map { encode in { .array($0.map(encode)) } }
        )
    }
}

extension SpecType where Value == [String: String] {
    /// Names matching `keyPattern` mapped to strings, like environment variables.
    static func stringMap(keyPattern: String, valuePattern: String? = nil) -> SpecType {
        var values: [String: JSONValue] = ["type": .string("string")]
        if let valuePattern { values["pattern"] = .string("^\(valuePattern)$") }
        return SpecType(
            schema: { _ in .object(["type": .string("object"), "propertyNames": .object(["pattern": .string("^\(keyPattern)$")]), "additionalProperties": .object(values)]) },
            read: { node, path, reading in
                guard let mapping = node.mapping else {
                    reading.problem(path, at: node, "must be a mapping of names to values")
                    return nil
                }
                var result: [String: String] = [:]
                for (key, value) in mapping {
                    let name = key.string ?? ""
                    let entryPath = SpecReading.join(path, name)
                    reading.record(entryPath, key)
                    guard name.range(of: "^\(keyPattern)$", options: .regularExpression) != nil else {
                        reading.problem(entryPath, at: key, "'\(name)' is not a valid name; it must match \(keyPattern)")
                        continue
                    }
                    guard let text = value.scalar?.string, value.null == nil else {
                        reading.problem(entryPath, at: value, "must be a string")
                        continue
                    }
                    if let valuePattern, text.range(of: "^\(valuePattern)$", options: .regularExpression) == nil {
                        reading.problem(entryPath, at: value, "'\(text)' must match \(valuePattern)")
                        continue
                    }
                    result[name] = text
                }
                return result
            },
            json: nil
        )
    }
}

/// Memory sizes as specs write them (`512Mi`, `2Gi`).
enum MemorySize {
    static func mebibytes(_ text: String) -> Int? {
        if text.hasSuffix("Gi"), let value = Int(text.dropLast(2)) { return value * 1024 }
        if text.hasSuffix("Mi"), let value = Int(text.dropLast(2)) { return value }
        return nil
    }

    static func text(_ mebibytes: Int) -> String {
        mebibytes % 1024 == 0 ? "\(mebibytes / 1024)Gi" : "\(mebibytes)Mi"
    }
}

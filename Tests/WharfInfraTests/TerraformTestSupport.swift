import Foundation
import WharfCore
import WharfTesting

@testable import WharfInfra

/// Generated stacks read back as JSON, for assertions on what Terraform would see.
struct GeneratedStacks {
    /// `<service>/<environment>/<stack>` → the module's files merged into one JSON object.
    var modules: [String: [String: JSONValue]] = [:]

    init(_ files: [GeneratedFile]) throws {
        for file in files {
            let folder = String(file.path[..<file.path.lastIndex(of: "/")!])
            guard case .object(let members) = try JSONDecoder().decode(JSONValue.self, from: Data(file.contents.utf8)) else {
                throw TestFailure("\(file.path) is not a JSON object")
            }
            modules[folder, default: [:]].merge(members) { _, new in new }
        }
    }

    func module(_ path: String) -> [String: JSONValue] { modules[path] ?? [:] }

    /// A resource's body, by `<module>` and `type.name`.
    func resource(_ path: String, _ address: String) -> JSONValue? {
        let parts = address.split(separator: ".").map(String.init)
        return JSONValue.object(module(path))["resource"]?[parts[0]]?[parts[1]]
    }

    /// References in a module that name nothing the module declares: `var.x` without a variable, `local.x`
    /// without a local, `data.t.n` or `t.n` without the block. Terraform would refuse each.
    static func danglingReferences(in module: [String: JSONValue]) -> [String] {
        let value = JSONValue.object(module)
        var declared: Set<String> = []
        if case .object(let variables)? = value["variable"] { declared.formUnion(variables.keys.map { "var.\($0)" }) }
        if case .object(let locals)? = value["locals"] { declared.formUnion(locals.keys.map { "local.\($0)" }) }
        for (kind, prefix) in [("resource", ""), ("data", "data.")] {
            if case .object(let types)? = value[kind] {
                for (type, blocks) in types { if case .object(let names) = blocks { declared.formUnion(names.keys.map { "\(prefix)\(type).\($0)" }) } }
            }
        }
        var dangling: [String] = []
        for text in strings(in: value) {
            var rest = Substring(text)
            while let start = rest.range(of: "${") {
                // `$${` is an escaped dollar, not an expression.
                if start.lowerBound > rest.startIndex, rest[rest.index(before: start.lowerBound)] == "$" {
                    rest = rest[start.upperBound...]
                    continue
                }
                guard let end = rest[start.upperBound...].firstIndex(of: "}") else { break }
                for reference in references(in: String(rest[start.upperBound..<end])) where !declared.contains(reference) {
                    dangling.append(reference)
                }
                rest = rest[end...]
            }
        }
        return dangling
    }

    /// `var.a`, `local.b`, `data.t.n` and `t.n` addresses an expression uses.
    private static func references(in expression: String) -> [String] {
        let tokens = expression.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") }).map(String.init)
        return tokens.compactMap { token in
            let parts = token.split(separator: ".").map(String.init)
            guard parts.count >= 2 else { return nil }
            switch parts[0] {
            case "var", "local": return "\(parts[0]).\(parts[1])"
            case "data": return parts.count >= 3 ? "data.\(parts[1]).\(parts[2])" : nil
            case "each", "self", "count", "path", "terraform": return nil
            default: return parts[0].hasPrefix("google_") || parts[0].hasPrefix("cloudflare_") ? "\(parts[0]).\(parts[1])" : nil
            }
        }
    }

    static func strings(in value: JSONValue) -> [String] {
        switch value {
        case .string(let text): [text]
        case .array(let items): items.flatMap(strings)
        case .object(let members): members.values.flatMap(strings)
        default: []
        }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

import WharfCore
import Yams

extension ServiceSpec {
    /// Reads and checks a spec. Every problem is reported at once, with file:line:column and field path;
    /// a spec with any problem yields no value, so nothing is generated from it.
    public static func load(yaml: String, file: String) throws(SpecFailure) -> ServiceSpec {
        let reading = SpecReading(file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw SpecFailure([SpecProblem(location: location(of: error, file: file), path: "", message: "not valid YAML: \(summary(of: error))")])
        } catch {
            throw SpecFailure([SpecProblem(location: SpecLocation(file: file, line: 1, column: 1), path: "", message: "not valid YAML: \(error)")])
        }
        guard let root else { throw SpecFailure([SpecProblem(location: SpecLocation(file: file, line: 1, column: 1), path: "", message: "the spec is empty")]) }
        reading.record("", root)
        let spec = SpecType<ServiceSpec>.object.read(root, "", reading)
        if let spec, reading.problems.isEmpty { spec.check(reading) }
        guard let spec, reading.problems.isEmpty else { throw SpecFailure(reading.problems) }
        return spec
    }

    /// The JSON Schema of the format, from the same definitions the reader uses (`wharf msp schema`).
    public static var jsonSchema: JSONValue {
        guard case .object(var schema) = SpecType<ServiceSpec>.object.schema(SpecReading(file: "", describing: true)) else { return .null }
        schema["$schema"] = .string("https://json-schema.org/draft/2020-12/schema")
        schema["$id"] = .string("https://wharf.dev/schemas/service-spec.json")
        schema["title"] = .string("Wharf service spec")
        return .object(schema)
    }

    private static func location(of error: YamlError, file: String) -> SpecLocation {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return SpecLocation(file: file, line: mark.line, column: mark.column)
        default:
            return SpecLocation(file: file, line: 1, column: 1)
        }
    }

    private static func summary(of error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _), .composer(let context, let problem, _, _):
            return [problem, context?.text].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
        default:
            return "\(error)"
        }
    }
}

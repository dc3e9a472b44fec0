import ArgumentParser
import Foundation
import WharfCore
import WharfInfra

/// The managed services platform's daily loop on service specs (SPEC §8).
struct MSPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "msp", abstract: "Service specs: start, check and describe them, and generate their infrastructure.",
        subcommands: [Init.self, Validate.self, Generate.self, Ops.self, Schema.self, Up.self, Logs.self, Database.self]
    )

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a commented starter spec.")
        @Argument(help: "The service id: lower case letters, digits and dashes, at most 20 characters.") var id: String
        @Option(help: "Where to write it.") var file = "service.yaml"

        func run() throws {
            guard id.range(of: "^[a-z][a-z0-9-]*[a-z0-9]$", options: .regularExpression) != nil, id.count <= 20 else {
                throw ValidationError("'\(id)' is not a service id: use lower case letters, digits and dashes, at most 20 characters, like 'accounts'")
            }
            guard !FileManager.default.fileExists(atPath: file) else {
                FileHandle.standardError.write(Data("error: \(file) exists already; choose another with --file [conflict]\n".utf8))
                throw ExitCode(6)
            }
            try ServiceSpec.starter(id: id).write(toFile: file, atomically: true, encoding: .utf8)
            print("wrote \(file); check it with: wharf msp validate \(file)")
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check specs and report every problem with file:line:column.",
            discussion: "Exits 0 when every spec is valid, 3 when any has a problem."
        )
        @Argument(help: "Spec files.") var files: [String]
        @Option(help: "table or json.") var output: OutputFormat = .table

        func run() throws {
            var problems: [SpecProblem] = []
            for file in files {
                do {
                    _ = try ServiceSpec.load(yaml: try Self.read(file), file: file)
                } catch {
                    problems += error.problems
                }
            }
            switch output {
            case .json:
                let list = problems.map { problem in
                    JSONValue.object([
                        "file": .string(problem.location.file), "line": .number(Double(problem.location.line)), "column": .number(Double(problem.location.column)),
                        "path": .string(problem.path), "message": .string(problem.message),
                    ])
                }
                print(String(decoding: try WharfJSON.encoder().encode(JSONValue.object(["valid": .bool(problems.isEmpty), "problems": .array(list)])), as: UTF8.self))
            case .table:
                for problem in problems { print(problem) }
                if problems.isEmpty { print("\(files.count == 1 ? files[0] : "\(files.count) specs"): valid") }
            }
            if !problems.isEmpty { throw ExitCode(3) }
        }

        static func read(_ file: String) throws(SpecFailure) -> String {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw SpecFailure([SpecProblem(location: SpecLocation(file: file, line: 1, column: 1), path: "", message: "cannot read the file")])
            }
            return String(decoding: data, as: UTF8.self)
        }
    }

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate Terraform JSON for every environment of each spec.",
            discussion: """
                Writes <out>/<service>/<environment>/{project,iam,cloudrun,monitoring}/*.tf.json; files whose contents \
                did not change are not touched, and generated files no longer generated are removed. Nothing is \
                written unless every spec is valid (exit 3). With --check nothing is written: exits 1 when the \
                output is stale, for CI.
                """
        )
        @Argument(help: "Spec files.") var files: [String]
        @Option(help: "The output directory.") var out = "terraform"
        @Flag(help: "Only check that the output is current; exit 1 when it is not.") var check = false

        func run() throws {
            let specs = try MSPCommand.loadAll(files)
            let directory = OutputDirectory(root: URL(filePath: out))
            let report = try directory.sync(specs.flatMap { $0.terraform() }, owned: Set(specs.map(\.service.id)), check: check)
            report.printFiles(under: out, check: check)
            if check, !report.isCurrent {
                print("\(out) is stale: run wharf msp generate \(files.joined(separator: " ")) --out \(out)")
                throw ExitCode(1)
            }
            print(check ? "\(out) is current (\(report.unchanged) files)" : report.summary)
        }
    }

    struct Ops: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the operations docs (Markdown) of each spec's environments.",
            discussion: "Without --out, prints the docs; with it, writes <out>/<service>/<environment>.md, touching only what changed."
        )
        @Argument(help: "Spec files.") var files: [String]
        @Option(help: "Only this environment.") var environment: String?
        @Option(help: "The output directory; without it the docs are printed.") var out: String?

        func run() throws {
            let specs = try MSPCommand.loadAll(files)
            var docs = specs.flatMap { $0.operationsDocs() }
            if let environment {
                docs = docs.filter { $0.path.hasSuffix("/\(environment).md") }
                guard !docs.isEmpty else {
                    let known = Set(specs.flatMap { $0.environments.map(\.id) }).sorted().joined(separator: ", ")
                    FileHandle.standardError.write(Data("error: no environment '\(environment)'; the specs have \(known) [not_found]\n".utf8))
                    throw ExitCode(5)
                }
            }
            guard let out else {
                print(docs.map(\.contents).joined(separator: "\n---\n\n"), terminator: "")
                return
            }
            let report = try OutputDirectory(root: URL(filePath: out)).sync(docs, owned: environment == nil ? Set(specs.map(\.service.id)) : [], suffix: ".md", check: false)
            report.printFiles(under: out, check: false, limit: .max)
            print(report.summary)
        }
    }

    /// Loads every spec, or prints every problem of all of them and exits 3: nothing is generated from a
    /// set of specs with any problem, or with two specs claiming one service id.
    static func loadAll(_ files: [String]) throws -> [ServiceSpec] {
        var problems: [SpecProblem] = []
        var specs: [ServiceSpec] = []
        for file in files {
            do {
                specs.append(try ServiceSpec.load(yaml: try Validate.read(file), file: file))
            } catch {
                problems += error.problems
            }
        }
        var owners: [String: String] = [:]
        for (file, spec) in zip(files, specs) {
            if let other = owners.updateValue(file, forKey: spec.service.id) {
                problems.append(SpecProblem(location: SpecLocation(file: file, line: 1, column: 1), path: "service.id", message: "'\(spec.service.id)' is also the service id in \(other)"))
            }
        }
        guard problems.isEmpty else {
            for problem in problems { print(problem) }
            print("nothing generated: fix the problems above")
            throw ExitCode(3)
        }
        return specs
    }

    struct Schema: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the JSON Schema of service specs, for editors.")

        func run() throws {
            let encoder = WharfJSON.encoder()
            encoder.outputFormatting.insert(.prettyPrinted)
            print(String(decoding: try encoder.encode(ServiceSpec.jsonSchema), as: UTF8.self))
        }
    }
}

import ArgumentParser
import Foundation
import WharfInfra
import WharfTesting

/// Spec validation and Terraform generation at fleet scale (issue 6: 1,000 specs of three environments in
/// under 3 s; a regeneration with nothing changed writes no file).
struct GenerateBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate", abstract: "Time validating and generating Terraform for many specs.")

    @Option(help: "Specs to generate.") var specs = 1_000
    @Option(help: "Environments per spec.") var environments = 3
    @Option(help: "Runs; the best and the worst are reported.") var runs = 3

    func run() throws {
        var random = SplitMix(seed: 6)
        let texts = (0..<specs).map { RandomServiceSpec.yaml(id: "svc-\($0)", environments: environments, using: &random) }
        let work = FileManager.default.temporaryDirectory.appending(path: "wharf-generate-bench-\(getpid())")
        defer { try? FileManager.default.removeItem(at: work) }
        let directory = OutputDirectory(root: work)
        print("\(specs) specs × \(environments) environments, \(runs) runs (release build)")
        var reading: [Double] = [], memory: [Double] = [], first: [Double] = [], again: [Double] = []
        var filesPerRun = 0, rewritten = 0
        for _ in 0..<runs {
            try? FileManager.default.removeItem(at: work)
            var files: [GeneratedFile] = []
            var owned: Set<String> = []
            reading.append(try seconds {
                for (index, text) in texts.enumerated() { _ = try ServiceSpec.load(yaml: text, file: "svc-\(index).yaml") }
            })
            memory.append(try seconds {
                files = []
                for (index, text) in texts.enumerated() {
                    let spec = try ServiceSpec.load(yaml: text, file: "svc-\(index).yaml")
                    owned.insert(spec.service.id)
                    files += spec.terraform()
                }
            })
            filesPerRun = files.count
            first.append(try seconds { _ = try directory.sync(files, owned: owned, check: false) })
            again.append(try seconds {
                var regenerated: [GeneratedFile] = []
                for (index, text) in texts.enumerated() { regenerated += try ServiceSpec.load(yaml: text, file: "svc-\(index).yaml").terraform() }
                let report = try directory.sync(regenerated, owned: owned, check: false)
                rewritten = max(rewritten, report.changed.count + report.removed.count)
            })
        }
        func line(_ name: String, _ values: [Double]) -> String {
            "\(name.padding(toLength: 58, withPad: " ", startingAt: 0)) best \(format(values.min()!)) s, worst \(format(values.max()!)) s"
        }
        print(line("validate only", reading))
        print(line("validate + generate in memory (target 3 s)", memory))
        print(line("  + write \(filesPerRun) files to an empty directory", zip(memory, first).map(+)))
        print(line("validate + generate + compare, nothing changed", again))
        print("files written by the regeneration with nothing changed: \(rewritten) (target 0)")
    }

    private func seconds(_ body: () throws -> Void) throws -> Double {
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    private func format(_ value: Double) -> String { String(format: "%.3f", value) }
}

/// Writes random valid specs, for the Terraform checks in scripts/check-terraform.
struct SpecsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "specs", abstract: "Write random valid service specs.")

    @Option(help: "How many.") var count = 5
    @Option(help: "The random seed; the same seed writes the same specs.") var seed: UInt64 = 1
    @Option(help: "The directory to write them to.") var out: String

    func run() throws {
        var random = SplitMix(seed: seed)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for index in 0..<count {
            let id = "random-\(index)"
            try RandomServiceSpec.yaml(id: id, using: &random).write(toFile: "\(out)/\(id).yaml", atomically: true, encoding: .utf8)
        }
        print("wrote \(count) specs to \(out)")
    }
}

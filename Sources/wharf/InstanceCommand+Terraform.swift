import ArgumentParser
import Foundation
import WharfClient
import WharfCore
import WharfInfra

extension InstanceCommand {
    /// The `gcp` provider's Terraform for an instance's dedicated project, from the registry or a saved record.
    struct Terraform: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate the Terraform JSON of an instance's dedicated GCP project.",
            discussion: "Writes <out>/<slug>/*.tf.json, touching only files whose contents changed; with --check, exits 1 when they are stale."
        )
        @OptionGroup var options: ClientOptions
        @Argument(help: "The instance; read from the API unless --record is given.") var slug: String
        @Option(help: "An instance record (the JSON of wharf instance show --output json) to use instead of the API.") var record: String?
        @Option(help: "The GCP region.") var region = "us-central1"
        @Option(help: "The output directory.") var out = "terraform/instances"
        @Flag(help: "Only check that the output is current; exit 1 when it is not.") var check = false

        func run() async throws {
            try await CommandFailure.exitOnError {
                let instance: Instance
                if let record {
                    guard let data = FileManager.default.contents(atPath: record) else { throw WharfError(.notFound, "cannot read \(record)") }
                    do {
                        instance = try WharfJSON.decoder().decode(Instance.self, from: data)
                    } catch {
                        throw WharfError(.validationFailed, "\(record) is not an instance record: \(error)")
                    }
                    guard instance.slug == slug else { throw WharfError(.validationFailed, "\(record) is the record of '\(instance.slug)', not '\(slug)'") }
                } else {
                    instance = try await options.client.instance(slug)
                }
                let report = try OutputDirectory(root: URL(filePath: out)).sync(instance.terraform(region: region), owned: [slug], check: check)
                report.printFiles(under: out, check: check)
                if check, !report.isCurrent { throw ExitCode(1) }
                print(check ? "\(out)/\(slug) is current" : report.summary)
            }
        }
    }
}

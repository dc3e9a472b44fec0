import Foundation
import Testing
import WharfCore
import WharfTesting

@testable import WharfProviders

/// The gcp provider's checks and its Terraform runs, with the real Terraform binary. No cloud is reachable
/// here, so the runner's whole cycle runs on a module of Terraform's built-in resources, and the provider's
/// own apply is seen failing the way it fails without a reachable state bucket.
@Suite("GCP provider")
struct GCPProviderTests {
    static func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appending(path: "wharf-gcp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    static func terraform() throws -> TerraformRunner {
        TerraformRunner(executable: try #require(Executable.find("terraform"), "Terraform must be installed"), environment: ProcessInfo.processInfo.environment)
    }

    @Test("names everything it lacks, and refuses to start without it")
    func namesWhatIsMissing() throws {
        let configuration = GCPProviderConfiguration(directory: "/tmp/none", environment: ["PATH": "/nonexistent", "HOME": "/nonexistent"])
        let missing = configuration.missing()
        #expect(missing.count == 8)
        for expected in ["'terraform' is not on PATH", "WHARF_GCP_STATE_BUCKET", "GOOGLE_APPLICATION_CREDENTIALS", "CLOUDFLARE_API_TOKEN",
                         "WHARF_GCP_BILLING_ACCOUNT", "WHARF_GCP_FOLDER_ID", "WHARF_GCP_CLOUDFLARE_ZONE_ID", "WHARF_GCP_GKE_SECURITY_GROUP"] {
            #expect(missing.contains { $0.contains(expected) }, "\(expected) is not named")
        }
        let refused = #expect(throws: WharfError.self) { try GCPProvider(configuration) }
        #expect(refused?.code == .configuration)
        #expect(refused?.message.contains("WHARF_GCP_STATE_BUCKET") == true)
    }

    @Test("a credentials file that cannot be read is named; a complete configuration lacks nothing")
    func credentials() throws {
        var configuration = TestGCP.configuration(directory: "/tmp/none")
        #expect(configuration.missing() == [])
        configuration.environment["GOOGLE_APPLICATION_CREDENTIALS"] = "/nonexistent/key.json"
        #expect(configuration.missing() == ["Google credentials: GOOGLE_APPLICATION_CREDENTIALS names /nonexistent/key.json, which cannot be read"])
        let fromEnvironment = GCPProviderConfiguration.fromEnvironment(directory: "/tmp/none", [
            "WHARF_GCP_STATE_BUCKET": "state", "WHARF_GCP_REGION": "europe-west1", "WHARF_GCP_FOLDER_ID": "folders/1", "WHARF_TERRAFORM": "/opt/terraform",
        ])
        #expect(fromEnvironment.stateBucket == "state" && fromEnvironment.region == "europe-west1" && fromEnvironment.terraform == "/opt/terraform")
        #expect(fromEnvironment.variables == ["folder_id": "folders/1"])
    }

    @Test("the runner inits, plans, applies, reads outputs and destroys with the real Terraform")
    func runnerCycle() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let module: JSONValue = [
            "terraform": ["backend": ["local": [:]]],
            "resource": ["terraform_data": ["egress": ["input": ["203.0.113.7", "203.0.113.8"]]]],
            "output": ["egress_addresses": ["value": "${terraform_data.egress.output}"]],
        ]
        try Data(module.canonicalText.utf8).write(to: directory.appending(path: "main.tf.json"))
        let log = directory.appending(path: "terraform.log")
        let backend = ["path": directory.appending(path: "state/terraform.tfstate").path]
        let runner = try Self.terraform()
        try await runner.apply(in: directory, backend: backend, log: log)
        #expect(try await runner.outputs(in: directory, log: log)["egress_addresses"] == ["203.0.113.7", "203.0.113.8"])
        #expect(FileManager.default.fileExists(atPath: backend["path"]!))
        let text = try String(contentsOf: log, encoding: .utf8)
        #expect(text.contains("$ terraform plan") && text.contains("Apply complete! Resources: 1 added"))
        try await runner.destroy(in: directory, backend: backend, log: log)
        #expect(try String(contentsOf: log, encoding: .utf8).contains("Destroy complete! Resources: 1 destroyed"))
    }

    @Test("a failing plan says which step failed and quotes Terraform")
    func runnerFailure() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let module: JSONValue = ["variable": ["billing_account": ["type": "string"]], "output": ["account": ["value": "${var.billing_account}"]]]
        try Data(module.canonicalText.utf8).write(to: directory.appending(path: "main.tf.json"))
        let failure = await #expect(throws: TerraformError.self) {
            try await Self.terraform().apply(in: directory, backend: [:], log: directory.appending(path: "terraform.log"))
        }
        #expect(failure?.step == "plan")
        #expect(failure?.description.contains("No value for required variable") == true)
    }

    @Test("starting an instance writes its module and variables, and an unreachable state bucket is a retryable failure shown in its logs")
    func unreachableState() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let provider = try GCPProvider(TestGCP.configuration(directory: directory.path), probe: { _ in true })
        var desired = LocalProviderTests.desired("acme-prod")
        desired.instance.staticEgress = true
        let failure = await #expect(throws: ProviderError.self) { try await provider.apply(.start(slug: "acme-prod"), desired: desired) }
        #expect(failure?.retryable == true)
        #expect(failure?.message.hasPrefix("terraform init failed (exit 1):") == true)
        let module = directory.appending(path: "acme-prod")
        #expect(FileManager.default.fileExists(atPath: module.appending(path: "main.tf.json").path))
        let variables = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: module.appending(path: "wharf.auto.tfvars.json")))
        #expect(variables["running"] == true && variables["deletion_protection"] == true && variables["folder_id"] == "folders/123456789")
        let logs = await provider.logs("acme-prod", after: nil, limit: 50).lines
        #expect(logs.first == "$ terraform init -input=false -no-color -reconfigure -backend-config=bucket=wharf-test-state")
        #expect(logs.contains { $0.contains("Error") })
        // Nothing was applied, so nothing is claimed to exist.
        #expect(await provider.observe("acme-prod") == .absent)
    }
}

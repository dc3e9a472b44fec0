import Foundation
import WharfCore

/// What the `gcp` provider needs to run Terraform for instances: where it keeps each instance's module,
/// the state bucket, the variables every instance module takes, and the credentials in the environment.
/// `missing()` names everything absent before the first instance is touched.
public struct GCPProviderConfiguration: Sendable {
    /// One folder per instance, with its generated module, `wharf.auto.tfvars.json`, state and run log.
    public var directory: String
    public var region = "us-central1"
    /// The GCS bucket holding every instance's state (`WHARF_GCP_STATE_BUCKET`).
    public var stateBucket: String?
    /// `terraform` on PATH, or a path (`WHARF_TERRAFORM`).
    public var terraform = "terraform"
    /// `billing_account`, `folder_id`, `cloudflare_zone_id`, `gke_security_group` (`WHARF_GCP_<NAME>`).
    public var variables: [String: String] = [:]
    /// The environment Terraform runs with; credentials come from here.
    public var environment: [String: String]

    /// The variables every instance module declares without a default.
    public static let requiredVariables = ["billing_account", "folder_id", "cloudflare_zone_id", "gke_security_group"]

    public init(directory: String, environment: [String: String]) {
        self.directory = directory
        self.environment = environment
    }

    /// Reads `WHARF_TERRAFORM`, `WHARF_GCP_STATE_BUCKET`, `WHARF_GCP_REGION` and `WHARF_GCP_<VARIABLE>`.
    public static func fromEnvironment(directory: String, _ environment: [String: String] = ProcessInfo.processInfo.environment) -> Self {
        var configuration = Self(directory: directory, environment: environment)
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        if let terraform = value("WHARF_TERRAFORM") { configuration.terraform = terraform }
        configuration.stateBucket = value("WHARF_GCP_STATE_BUCKET")
        if let region = value("WHARF_GCP_REGION") { configuration.region = region }
        for name in requiredVariables {
            if let variable = value("WHARF_GCP_\(name.uppercased())") { configuration.variables[name] = variable }
        }
        return configuration
    }

    /// Each thing the provider lacks, said so that the reader knows what to set; empty when it can run.
    public func missing() -> [String] {
        var missing: [String] = []
        if Executable.find(terraform, searchPath: environment["PATH"]) == nil {
            missing.append("Terraform: '\(terraform)' is not on PATH; install Terraform ≥ 1.11 or set WHARF_TERRAFORM to its path")
        }
        if stateBucket == nil {
            missing.append("a state bucket: set WHARF_GCP_STATE_BUCKET to a GCS bucket with versioning on")
        }
        if let problem = googleCredentialsProblem() { missing.append(problem) }
        if (environment["CLOUDFLARE_API_TOKEN"] ?? "").isEmpty {
            missing.append("Cloudflare credentials: set CLOUDFLARE_API_TOKEN to a token that may edit DNS, custom hostnames and WAF rules of the zone")
        }
        for name in Self.requiredVariables where (variables[name] ?? "").isEmpty {
            missing.append("the Terraform variable \(name): set WHARF_GCP_\(name.uppercased())")
        }
        return missing
    }

    /// Google's provider takes a key file, key JSON, an access token or application-default credentials.
    private func googleCredentialsProblem() -> String? {
        if let file = environment["GOOGLE_APPLICATION_CREDENTIALS"], !file.isEmpty {
            return FileManager.default.isReadableFile(atPath: file) ? nil : "Google credentials: GOOGLE_APPLICATION_CREDENTIALS names \(file), which cannot be read"
        }
        if !(environment["GOOGLE_CREDENTIALS"] ?? "").isEmpty || !(environment["GOOGLE_OAUTH_ACCESS_TOKEN"] ?? "").isEmpty { return nil }
        let gcloud = environment["CLOUDSDK_CONFIG"] ?? "\(environment["HOME"] ?? NSHomeDirectory())/.config/gcloud"
        if FileManager.default.isReadableFile(atPath: "\(gcloud)/application_default_credentials.json") { return nil }
        return "Google credentials: set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file, or run gcloud auth application-default login"
    }
}

import Foundation
import WharfCore
import WharfProviders

/// A `gcp` provider configuration with nothing missing: the real Terraform on PATH, a state bucket, and
/// credentials and variables that are well-formed but reach no cloud (this machine has none).
public enum TestGCP {
    public static func configuration(directory: String) -> GCPProviderConfiguration {
        var environment = ProcessInfo.processInfo.environment
        environment["GOOGLE_OAUTH_ACCESS_TOKEN"] = "ya29.test-token"
        environment["CLOUDFLARE_API_TOKEN"] = "test-cloudflare-token"
        var configuration = GCPProviderConfiguration(directory: directory, environment: environment)
        configuration.stateBucket = "wharf-test-state"
        configuration.variables = [
            "billing_account": "000000-000000-000000", "folder_id": "folders/123456789", "cloudflare_zone_id": "0123456789abcdef",
            "gke_security_group": "gke-security-groups@example.com",
        ]
        return configuration
    }
}

import WharfCore

/// A provider a generated module needs, pinned to the major version its resources were written against.
struct TerraformProvider: Hashable, Sendable {
    let name: String
    let source: String
    let version: String

    static let google = TerraformProvider(name: "google", source: "hashicorp/google", version: "~> 6.50")
    static let cloudflare = TerraformProvider(name: "cloudflare", source: "cloudflare/cloudflare", version: "~> 5.14")
}

/// One Terraform root module, built block by block and written as `*.tf.json` files. Keys are sorted on
/// output, so the order blocks are added in never changes the bytes.
struct TerraformModule {
    /// Where the module keeps its state in the GCS backend; the bucket is given at `terraform init`.
    let statePrefix: String
    var providers: [TerraformProvider: JSONValue] = [:]
    var variables: [String: JSONValue] = [:]
    var locals: [String: JSONValue] = [:]
    var data: [String: [String: JSONValue]] = [:]
    var resources: [String: [String: JSONValue]] = [:]
    var outputs: [String: JSONValue] = [:]

    /// Terraform 1.11 brings write-only arguments, which keep the diagnostics secret out of state.
    static let requiredVersion = ">= 1.11.0"

    init(statePrefix: String) {
        self.statePrefix = statePrefix
    }

    mutating func provider(_ provider: TerraformProvider, _ configuration: JSONValue = [:]) {
        providers[provider] = configuration
    }

    /// Declares `type.name` and returns its address for references.
    @discardableResult
    mutating func resource(_ type: String, _ name: String, _ body: JSONValue) -> String {
        precondition(resources[type]?[name] == nil, "\(type).\(name) declared twice")
        resources[type, default: [:]][name] = body
        return "\(type).\(name)"
    }

    @discardableResult
    mutating func data(_ type: String, _ name: String, _ body: JSONValue) -> String {
        data[type, default: [:]][name] = body
        return "data.\(type).\(name)"
    }

    mutating func variable(_ name: String, type: String, _ description: String, default value: JSONValue? = nil, sensitive: Bool = false) {
        var body: [String: JSONValue] = ["type": .string(type), "description": .string(description)]
        if let value { body["default"] = value }
        if sensitive { body["sensitive"] = true }
        variables[name] = .object(body)
    }

    mutating func output(_ name: String, _ value: String, _ description: String, sensitive: Bool = false) {
        var body: [String: JSONValue] = ["value": .string(value), "description": .string(description)]
        if sensitive { body["sensitive"] = true }
        outputs[name] = .object(body)
    }

    /// Reads another stack's outputs from its state, as `data.terraform_remote_state.<stack>.outputs.<name>`.
    mutating func remoteState(of stack: String, prefix: String) {
        if variables["state_bucket"] == nil {
            variable("state_bucket", type: "string", "The GCS bucket holding the stacks' Terraform state (the one given to terraform init -backend-config=bucket=…).")
        }
        data("terraform_remote_state", stack, ["backend": "gcs", "config": ["bucket": "${var.state_bucket}", "prefix": .string(prefix)]])
    }

    /// File name → contents.
    var files: [String: String] {
        var required: [String: JSONValue] = [:]
        var configurations: [String: JSONValue] = [:]
        for (provider, configuration) in providers {
            required[provider.name] = ["source": .string(provider.source), "version": .string(provider.version)]
            configurations[provider.name] = configuration
        }
        let settings: JSONValue = [
            "required_version": .string(Self.requiredVersion),
            "required_providers": .object(required),
            "backend": ["gcs": ["prefix": .string(statePrefix)]],
        ]
        var files = ["terraform.tf.json": JSONValue.object(["terraform": settings, "provider": .object(configurations)]).canonicalText]
        var main: [String: JSONValue] = [:]
        if !locals.isEmpty { main["locals"] = .object(locals) }
        if !data.isEmpty { main["data"] = .object(data.mapValues { .object($0) }) }
        if !resources.isEmpty { main["resource"] = .object(resources.mapValues { .object($0) }) }
        files["main.tf.json"] = JSONValue.object(main).canonicalText
        if !variables.isEmpty { files["variables.tf.json"] = JSONValue.object(["variable": .object(variables)]).canonicalText }
        if !outputs.isEmpty { files["outputs.tf.json"] = JSONValue.object(["output": .object(outputs)]).canonicalText }
        return files
    }
}

import WharfCore

/// What every stack of one environment needs to know: the spec, the environment, its policy and the names
/// the stacks share.
struct StackContext: Sendable {
    let spec: ServiceSpec
    let environment: ServiceEnvironment
    let policy: CategoryPolicy

    /// The stacks, in the order they are applied.
    static let stacks = ["project", "iam", "cloudrun", "monitoring"]

    init(spec: ServiceSpec, environment: ServiceEnvironment) {
        self.spec = spec
        self.environment = environment
        self.policy = CategoryPolicy(environment, kind: spec.service.kind)
    }

    var service: String { spec.service.id }
    /// `<service>-<environment>`: the default project id, and `ENVIRONMENT_ID` in the runtime contract.
    var qualifiedID: String { "\(service)-\(environment.id)" }
    var region: String { environment.region.rawValue }
    var isJob: Bool { spec.service.kind == .job }

    func statePrefix(_ stack: String) -> String { "\(service)/\(environment.id)/\(stack)" }

    /// A stack's module with the google provider and, except in `project`, the project's outputs at hand.
    func module(_ stack: String) -> TerraformModule {
        var module = TerraformModule(statePrefix: statePrefix(stack))
        module.provider(.google, [
            "region": .string(region),
            "default_labels": ["wharf-service": .string(service), "wharf-environment": .string(environment.id), "wharf-category": .string(environment.category.rawValue)],
        ])
        if stack != "project" {
            module.remoteState(of: "project", prefix: statePrefix("project"))
            module.locals["project_id"] = "${data.terraform_remote_state.project.outputs.project_id}"
        }
        return module
    }
}

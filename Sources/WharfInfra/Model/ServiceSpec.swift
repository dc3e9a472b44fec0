/// A service spec (SPEC §8): what an online service is and where it runs, from which Wharf generates its
/// infrastructure and operations docs.
public struct ServiceSpec: Sendable, Equatable, SpecReadable {
    public var service: ServiceInfo
    public var build: Build
    public var environments: [ServiceEnvironment]
    public var monitoring: Monitoring
    public var rollout: Rollout?

    static func read(_ o: SpecObject) -> ServiceSpec? {
        let service = o.required("service", .object, "What the service is and who owns it.") as ServiceInfo?
        let build = o.required("build", .object, "How the service is built.") as Build?
        let environments = o.required("environments", .list(.object, minimum: 1), "Where the service runs, one entry per environment.") as [ServiceEnvironment]?
        let monitoring = o.optional("monitoring", .object, default: Monitoring(), "Alerts beyond the defaults every service gets.")
        let rollout = o.optional("rollout", .object, "The order in which a release moves through the environments.") as Rollout?
        guard let service, let build, let environments else { return nil }
        return ServiceSpec(service: service, build: build, environments: environments, monitoring: monitoring, rollout: rollout)
    }
}

public enum ServiceKind: String, Sendable, CaseIterable { case service, job }

public struct ServiceInfo: Sendable, Equatable, SpecReadable {
    public var id: String
    public var name: String
    public var owners: [String]
    public var description: String?
    public var kind: ServiceKind

    static func read(_ o: SpecObject) -> ServiceInfo? {
        let id = o.required("id", .string(pattern: "[a-z][a-z0-9-]*[a-z0-9]", maxLength: 20, example: "accounts"), "Lower case letters, digits and dashes; at most 20 characters.")
        let name = o.required("name", .string(maxLength: 100), "The service's name as people say it.")
        let owners = o.required("owners", .list(.string(maxLength: 100), minimum: 1), "Teams or people who answer for the service.")
        let description = o.optional("description", .string(maxLength: 1000), "What the service does, in a sentence or two.")
        let kind = o.optional("kind", .choice, default: ServiceKind.service, "A long-running service, or a job that runs on a schedule.")
        guard let id, let name, let owners else { return nil }
        return ServiceInfo(id: id, name: name, owners: owners, description: description, kind: kind)
    }
}

public struct Build: Sendable, Equatable, SpecReadable {
    public var image: String

    static func read(_ o: SpecObject) -> Build? {
        o.required("image", .string(pattern: "[a-z0-9][a-z0-9./_:@-]*", maxLength: 255, example: "us-docker.pkg.dev/acme/images/accounts"), "The container image, without a tag.")
            .map(Build.init)
    }
}

/// The order of environments a release goes through.
public struct Rollout: Sendable, Equatable, SpecReadable {
    public var stages: [RolloutStage]

    static func read(_ o: SpecObject) -> Rollout? {
        o.required("stages", .list(.object, minimum: 1), "Environments in the order a release reaches them.").map(Rollout.init)
    }
}

public struct RolloutStage: Sendable, Equatable, SpecReadable {
    public var environment: String

    static func read(_ o: SpecObject) -> RolloutStage? {
        o.required("environment", .string(), "The id of one of the spec's environments.").map(RolloutStage.init)
    }
}

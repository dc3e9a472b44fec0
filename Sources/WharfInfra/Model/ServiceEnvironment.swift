/// How strictly an environment is run: `external` serves customers, `internal` the company, `test` no one
/// who depends on it. The category sets policy the owner does not have to write (SPEC §8).
public enum EnvironmentCategory: String, Sendable, CaseIterable { case test, `internal`, external }

/// How releases reach an environment.
public enum DeployType: String, Sendable, CaseIterable { case manual, subscription, rollout }

/// The regions services may run in.
public enum Region: String, Sendable, CaseIterable {
    case usCentral1 = "us-central1", usEast1 = "us-east1", usWest1 = "us-west1"
    case europeWest1 = "europe-west1", europeWest2 = "europe-west2", europeWest3 = "europe-west3", europeWest4 = "europe-west4"
    case asiaEast1 = "asia-east1", asiaNortheast1 = "asia-northeast1", australiaSoutheast1 = "australia-southeast1"
}

/// One place the service runs.
public struct ServiceEnvironment: Sendable, Equatable, SpecReadable {
    public var id: String
    public var category: EnvironmentCategory
    public var deployType: DeployType
    public var region: Region
    public var domain: String?
    public var instances: Instances
    public var healthProbes: HealthProbes
    public var authentication: Authentication
    public var env: [String: String]
    public var secretEnv: [String: String]
    public var resources: Resources
    public var allowDestroys: Bool
    public var schedule: JobSchedule?

    static func read(_ o: SpecObject) -> ServiceEnvironment? {
        let id = o.required("id", .string(pattern: "[a-z][a-z0-9-]*[a-z0-9]", maxLength: 9, example: "prod"), "Lower case, at most 9 characters: the project is named <service>-<environment>.")
        let category = o.required("category", .choice, "test, internal or external; external serves customers and gets the strictest policy.") as EnvironmentCategory?
        let deployType = o.optional("deployType", .choice, default: DeployType.manual, "manual, subscription (follows new images) or rollout (a stage of the rollout).")
        let region = o.optional("region", .choice, default: Region.usCentral1, "Where the environment runs.")
        let domain = o.optional("domain", .string(pattern: "([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}", maxLength: 253, example: "accounts.acme.com"), "The host name the service answers on; required for external environments.")
        let instances = o.optional("instances", .object, default: Instances(), "CPU, memory and scaling of the service's instances.")
        let healthProbes = o.optional("healthProbes", .object, default: HealthProbes(), "How /-/healthz is probed.")
        let authentication = o.optional("authentication", .object, default: Authentication(), "Who may reach the service.")
        let env = o.optional("env", .stringMap(keyPattern: "[A-Z_][A-Z0-9_]*"), default: [:], "Environment variables.")
        let secretEnv = o.optional("secretEnv", .stringMap(keyPattern: "[A-Z_][A-Z0-9_]*", valuePattern: "[A-Za-z0-9_-]{1,255}"), default: [:], "Environment variables from Secret Manager, by secret id.")
        let resources = o.optional("resources", .object, default: Resources(), "Databases and caches the environment gets.")
        let allowDestroys = o.optional("allowDestroys", .boolean, default: false, "Whether Terraform may destroy stateful resources (deletion protection off).")
        let schedule = o.optional("schedule", .object, "For jobs: when they run.") as JobSchedule?
        guard let id, let category else { return nil }
        return ServiceEnvironment(
            id: id, category: category, deployType: deployType, region: region, domain: domain, instances: instances, healthProbes: healthProbes,
            authentication: authentication, env: env, secretEnv: secretEnv, resources: resources, allowDestroys: allowDestroys, schedule: schedule
        )
    }
}

public struct Instances: Sendable, Equatable, SpecReadable {
    /// Cloud Run's CPU counts.
    public static let cpuCounts = [1, 2, 4, 6, 8]
    public var cpu = 1
    /// Mebibytes.
    public var memory = 512
    public var scaling = Scaling()

    static func read(_ o: SpecObject) -> Instances? {
        Instances(
            cpu: o.optional("cpu", .integer(1...8), default: 1, "CPUs per instance: 1, 2, 4, 6 or 8."),
            memory: o.optional("memory", .memory(512...32 * 1024), default: 512, "Memory per instance, 512Mi to 32Gi; at most 4Gi per CPU."),
            scaling: o.optional("scaling", .object, default: Scaling(), "How many instances run.")
        )
    }
}

public struct Scaling: Sendable, Equatable, SpecReadable {
    public var minCount = 0
    public var maxCount = 5
    public var concurrency = 80

    static func read(_ o: SpecObject) -> Scaling? {
        Scaling(
            minCount: o.optional("minCount", .integer(0...1000), default: 0, "Instances kept running when idle."),
            maxCount: o.optional("maxCount", .integer(1...1000), default: 5, "The most instances at peak."),
            concurrency: o.optional("concurrency", .integer(1...1000), default: 80, "Requests one instance serves at once.")
        )
    }
}

public struct HealthProbes: Sendable, Equatable, SpecReadable {
    public var timeoutSeconds = 3
    public var intervalSeconds = 10

    static func read(_ o: SpecObject) -> HealthProbes? {
        HealthProbes(
            timeoutSeconds: o.optional("timeoutSeconds", .integer(1...240), default: 3, "How long one probe of /-/healthz may take."),
            intervalSeconds: o.optional("intervalSeconds", .integer(1...3600), default: 10, "Time between probes.")
        )
    }
}

public struct Authentication: Sendable, Equatable, SpecReadable {
    public var employeesOnly = false

    static func read(_ o: SpecObject) -> Authentication? {
        Authentication(employeesOnly: o.optional("employeesOnly", .boolean, default: false, "Only signed-in employees reach the service (Identity-Aware Proxy)."))
    }
}

/// When a job runs.
public struct JobSchedule: Sendable, Equatable, SpecReadable {
    public var cron: String
    public var deadlineSeconds: Int

    static func read(_ o: SpecObject) -> JobSchedule? {
        let cron = o.required("cron", .string(maxLength: 100), "Five-field cron, in UTC; at most every 15 minutes.")
        let deadline = o.optional("deadlineSeconds", .integer(1...86_400), default: 600, "A run taking longer is stopped and counted as failed.")
        return cron.map { JobSchedule(cron: $0, deadlineSeconds: deadline) }
    }
}

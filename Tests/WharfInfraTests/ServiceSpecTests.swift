import Testing
import WharfCore
import WharfTesting

@testable import WharfInfra

@Suite("Service specs")
struct ServiceSpecTests {
    static let valid = """
        service:
          id: accounts
          name: Accounts
          owners: [core-services]
          description: User accounts for the self-serve product.
        build:
          image: us-docker.pkg.dev/acme/images/accounts
        environments:
          - id: dev
            category: test
            deployType: subscription
          - id: prod
            category: external
            deployType: rollout
            region: europe-west1
            domain: accounts.acme.com
            instances:
              cpu: 2
              memory: 2Gi
              scaling: {minCount: 1, maxCount: 10}
            env:
              LOG_LEVEL: info
            secretEnv:
              STRIPE_KEY: stripe-key
            resources:
              postgreSQL:
                databases: [accounts]
                cpu: 2
                memoryGB: 8
              redis: {memoryGB: 2}
        monitoring:
          responseCodeRatios:
            - id: server-errors
              code: 5xx
              ratio: 0.05
        rollout:
          stages:
            - environment: dev
            - environment: prod
        """

    @Test("a valid spec is read with the defaults filled in")
    func valid() throws {
        let spec = try ServiceSpec.load(yaml: Self.valid, file: "accounts.yaml")
        #expect(spec.service.kind == .service && spec.service.owners == ["core-services"])
        #expect(spec.environments.map(\.id) == ["dev", "prod"])
        let dev = spec.environments[0], prod = spec.environments[1]
        #expect(dev.region == .usCentral1 && dev.instances == Instances() && !dev.allowDestroys && dev.healthProbes.timeoutSeconds == 3)
        #expect(prod.instances.cpu == 2 && prod.instances.memory == 2048 && prod.instances.scaling.minCount == 1 && prod.instances.scaling.concurrency == 80)
        #expect(prod.resources.postgreSQL?.maxConnections == 100 && prod.resources.redis?.memoryGB == 2 && prod.secretEnv == ["STRIPE_KEY": "stripe-key"])
        #expect(spec.monitoring.responseCodeRatios.first?.durationMinutes == 5)
        #expect(spec.rollout?.stages.map(\.environment) == ["dev", "prod"])
    }

    @Test("every problem is reported at once, each with file:line:column, field path and what would be valid")
    func everyProblem() {
        let yaml = """
            service:
              id: Accounts_Service_With_A_Long_Name
              name: Accounts
              owners: []
              kind: jobb
            bild:
              image: x
            environments:
              - id: prod
                category: externl
                instances:
                  memroy: 1Gi
              - id: prod
                category: test
                instances:
                  cpu: 1
                  memory: 8Gi
            rollout:
              stages:
                - environment: prd
            """
        let failure = #expect(throws: SpecFailure.self) { try ServiceSpec.load(yaml: yaml, file: "bad.yaml") }
        let lines = failure?.problems.map(\.description) ?? []
        #expect(lines.contains("bad.yaml:2:7: service.id: 'Accounts_Service_With_A_Long_Name' is 33 characters long; at most 20 are allowed"))
        #expect(lines.contains("bad.yaml:4:11: service.owners: needs at least 1 entry"))
        #expect(lines.contains("bad.yaml:5:9: service.kind: 'jobb' is not one of service, job; did you mean 'job'?"))
        #expect(lines.contains("bad.yaml:6:1: bild: unknown key 'bild'; did you mean 'build'?"))
        #expect(lines.contains("bad.yaml:1:1: (spec): the required key 'build' is missing"))
        #expect(lines.contains("bad.yaml:10:15: environments[0].category: 'externl' is not one of test, internal, external; did you mean 'external'?"))
        #expect(lines.contains("bad.yaml:12:7: environments[0].instances.memroy: unknown key 'memroy'; did you mean 'memory'?"))
        // Problems are in file order.
        #expect(failure?.problems.map(\.location) == failure?.problems.map(\.location).sorted())
    }

    @Test("rules across fields: duplicate ids, unknown rollout stages, memory for the CPUs, cron frequency, external domains")
    func rules() {
        let yaml = """
            service: {id: reports, name: Reports, owners: [data], kind: job}
            build: {image: us-docker.pkg.dev/acme/images/reports}
            environments:
              - id: prod
                category: external
                schedule: {cron: "*/5 * * * *"}
              - id: prod
                category: test
                instances: {cpu: 1, memory: 8Gi}
                env: {PORT: "80"}
                schedule: {cron: "0 3 * * *"}
              - id: dev
                category: test
                schedule: {cron: "0 3 * *"}
            rollout:
              stages:
                - environment: prd
            """
        let failure = #expect(throws: SpecFailure.self) { try ServiceSpec.load(yaml: yaml, file: "jobs.yaml") }
        let lines = failure?.problems.map(\.description) ?? []
        // A job serves no requests, so even an external one has no domain.
        #expect(!lines.contains { $0.contains("needs a domain") })
        #expect(lines.contains("jobs.yaml:6:22: environments[0].schedule.cron: '*/5 * * * *' runs every 5 minutes; jobs run at most every 15 minutes"))
        #expect(lines.contains("jobs.yaml:7:9: environments[1].id: the environment id 'prod' is used twice; environments[0] has it too"))
        #expect(lines.contains("jobs.yaml:9:33: environments[1].instances.memory: 8Gi is too much memory for 1 CPU: at most 4Gi; use cpu: 2 or more"))
        #expect(lines.contains("jobs.yaml:10:11: environments[1].env.PORT: PORT is set by the platform (the runtime contract); remove it"))
        #expect(lines.contains { $0.hasPrefix("jobs.yaml:14:22: environments[2].schedule.cron: '0 3 * *' has 4 fields") })
        #expect(lines.contains("jobs.yaml:17:20: rollout.stages[0].environment: no environment has the id 'prd'; did you mean 'prod'?"))
    }

    @Test("YAML that does not parse is reported where it breaks; an empty file says so")
    func notYAML() {
        let broken = #expect(throws: SpecFailure.self) { try ServiceSpec.load(yaml: "service:\n  id: [accounts\n", file: "broken.yaml") }
        #expect(broken?.problems.count == 1 && broken?.problems.first?.location.line == 3 && broken?.problems.first?.message.hasPrefix("not valid YAML") == true)
        let empty = #expect(throws: SpecFailure.self) { try ServiceSpec.load(yaml: "", file: "empty.yaml") }
        #expect(empty?.problems.first?.message == "the spec is empty")
    }

    @Test("the JSON Schema comes from the reader's definitions: every field, required keys, enums, defaults, no unknown keys")
    func schema() throws {
        guard case .object(let root) = ServiceSpec.jsonSchema, case .object(let properties) = root["properties"] else {
            Issue.record("no properties")
            return
        }
        #expect(Set(properties.keys) == ["service", "build", "environments", "monitoring", "rollout"])
        #expect(root["required"] == .array([.string("service"), .string("build"), .string("environments")]))
        #expect(root["additionalProperties"] == .bool(false))
        guard case .object(let environments) = properties["environments"], case .object(let item) = environments["items"],
            case .object(let fields) = item["properties"], case .object(let category) = fields["category"], case .object(let instances) = fields["instances"],
            case .object(let instanceFields) = instances["properties"], case .object(let memory) = instanceFields["memory"]
        else {
            Issue.record("no environment fields")
            return
        }
        #expect(category["enum"] == .array([.string("test"), .string("internal"), .string("external")]))
        #expect(memory["default"] == .string("512Mi"))
        #expect(fields.keys.contains("secretEnv") && fields.keys.contains("allowDestroys") && fields.keys.contains("schedule"))
    }
}

@Suite("Starter spec")
struct StarterSpecTests {
    @Test("the spec wharf msp init writes is valid as it is")
    func valid() throws {
        let spec = try ServiceSpec.load(yaml: ServiceSpec.starter(id: "billing-api"), file: "service.yaml")
        #expect(spec.service.id == "billing-api" && spec.service.name == "Billing Api")
        #expect(spec.environments.map(\.category) == [.test, .external] && spec.rollout?.stages.count == 2)
    }
}

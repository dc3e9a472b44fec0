import Foundation
import Testing
import WharfCore
import WharfTesting

@testable import WharfInfra

@Suite("Terraform generation")
struct TerraformGenerationTests {
    static let repository = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func example(_ name: String) throws -> ServiceSpec {
        let url = repository.appending(path: "Examples/services/\(name).yaml")
        return try ServiceSpec.load(yaml: String(decoding: try Data(contentsOf: url), as: UTF8.self), file: url.path)
    }

    @Test("the committed example output is what the generator writes today (regenerate: wharf msp generate Examples/services/*.yaml --out Examples/terraform)")
    func goldenFiles() throws {
        let specs = try ["accounts", "nightly-report", "wiki"].map(Self.example)
        let report = try OutputDirectory(root: Self.repository.appending(path: "Examples/terraform"))
            .sync(specs.flatMap { $0.terraform() }, owned: Set(specs.map(\.service.id)), check: true)
        #expect(report.changed.isEmpty, "stale: \(report.changed)")
        #expect(report.removed.isEmpty, "no longer generated: \(report.removed)")
        #expect(report.unchanged > 50)
    }

    @Test("an external service: Cloud Run on 9992 with probes on /-/healthz, private Cloud SQL with TLS, IAM login, PITR and 90 backups, Redis with AUTH and TLS")
    func externalService() throws {
        let stacks = try GeneratedStacks(try Self.example("accounts").terraform())
        let prod = "accounts/prod"
        #expect(Set(stacks.modules.keys.filter { $0.hasPrefix(prod) }) == Set(StackContext.stacks.map { "\(prod)/\($0)" }))

        let service = try #require(stacks.resource("\(prod)/cloudrun", "google_cloud_run_v2_service.service"))
        let container = service["template"]?["containers"]
        #expect(container?["ports"]?["container_port"] == 9992)
        #expect(container?["startup_probe"]?["http_get"]?["path"] == "/-/healthz")
        #expect(container?["liveness_probe"]?["http_get"]?["http_headers"]?["name"] == "Authorization")
        #expect(service["ingress"] == "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER" && service["deletion_protection"] == true)
        #expect(service["template"]?["service_account"] == "${local.service_account_email}")
        let env = Self.environment(of: container)
        #expect(env["ENVIRONMENT_ID"] == "accounts-prod" && env["HOST"] == "0.0.0.0")
        #expect(env["STRIPE_KEY"]?["value_source"]?["secret_key_ref"]?["secret"] == "stripe-key")
        #expect(env["DATABASE_URL"]?.stringValue?.hasSuffix("/accounts?sslmode=require") == true)

        let database = try #require(stacks.resource("\(prod)/cloudrun", "google_sql_database_instance.postgresql"))
        let settings = database["settings"]
        #expect(settings?["ip_configuration"]?["ipv4_enabled"] == false && settings?["ip_configuration"]?["ssl_mode"] == "ENCRYPTED_ONLY")
        #expect(settings?["backup_configuration"]?["point_in_time_recovery_enabled"] == true)
        #expect(settings?["backup_configuration"]?["backup_retention_settings"]?["retained_backups"] == 90)
        #expect(settings?["availability_type"] == "REGIONAL" && settings?["tier"] == "db-custom-2-8192")
        #expect(database["deletion_protection"] == true && settings?["deletion_protection_enabled"] == true)
        guard case .array(let flags)? = settings?["database_flags"] else { Issue.record("no database flags"); return }
        #expect(flags.contains(["name": "cloudsql.iam_authentication", "value": "on"]))
        #expect(stacks.resource("\(prod)/cloudrun", "google_sql_user.workload")?["type"] == "CLOUD_IAM_SERVICE_ACCOUNT")

        let redis = try #require(stacks.resource("\(prod)/cloudrun", "google_redis_instance.redis"))
        #expect(redis["auth_enabled"] == true && redis["transit_encryption_mode"] == "SERVER_AUTHENTICATION" && redis["tier"] == "STANDARD_HA")

        // Secrets are readable by the workload alone, each on the secret, not project-wide.
        #expect(stacks.resource("\(prod)/iam", "google_secret_manager_secret_iam_member.secret_stripe_key_workload")?["member"] == "serviceAccount:${google_service_account.workload.email}")
        let projectRoles = Self.blocks(stacks.module("\(prod)/iam"), "google_project_iam_member").compactMap { $0["role"]?.stringValue }.sorted()
        #expect(projectRoles == ["roles/bigquery.jobUser", "roles/cloudsql.client", "roles/cloudsql.instanceUser", "roles/cloudtrace.agent", "roles/logging.logWriter", "roles/monitoring.metricWriter"])
    }

    @Test("category policies: external only through the CDN, audited and paged; internal behind IAP and paged; test relaxed")
    func categoryPolicies() throws {
        let accounts = try GeneratedStacks(try Self.example("accounts").terraform())
        // external
        let rules = accounts.resource("accounts/prod/cloudrun", "google_compute_security_policy.service")?["rule"]
        guard case .array(let list)? = rules else { Issue.record("no Cloud Armor rules"); return }
        let admitted = list.filter { $0["action"] == "allow" }.flatMap { rule -> [String] in
            guard case .array(let ranges)? = rule["match"]?["config"]?["src_ip_ranges"] else { return [] }
            return ranges.compactMap(\.stringValue)
        }
        #expect(Set(admitted) == Set(LoadBalancerBlocks.cdnRanges))
        #expect(list.last?["action"] == "deny(403)" && list.last?["match"]?["config"]?["src_ip_ranges"] == ["*"])
        #expect(accounts.resource("accounts/prod/cloudrun", "cloudflare_dns_record.service")?["proxied"] == true)
        #expect(accounts.resource("accounts/prod/project", "google_project_iam_audit_config.all_services") != nil)
        #expect(JSONValue.object(accounts.module("accounts/prod/monitoring"))["variable"]?["paging_channels"] != nil)
        #expect(accounts.resource("accounts/prod/monitoring", "google_monitoring_alert_policy.server_errors")?["notification_channels"] == "${concat(var.paging_channels, var.notification_channels)}")
        // test: public, no audit logs, no paging, destroyable as the spec allows
        let dev = "accounts/dev"
        #expect(accounts.resource("\(dev)/cloudrun", "google_cloud_run_v2_service.service")?["ingress"] == "INGRESS_TRAFFIC_ALL")
        #expect(accounts.resource("\(dev)/cloudrun", "google_cloud_run_v2_service.service")?["deletion_protection"] == false)
        #expect(accounts.resource("\(dev)/project", "google_project_iam_audit_config.all_services") == nil)
        #expect(JSONValue.object(accounts.module("\(dev)/monitoring"))["variable"]?["paging_channels"] == nil)
        #expect(accounts.resource("\(dev)/project", "google_project.project")?["deletion_policy"] == "DELETE")
        // internal: behind IAP, not proxied through the CDN, paged
        let wiki = try GeneratedStacks(try Self.example("wiki").terraform())
        #expect(wiki.resource("wiki/prod/cloudrun", "google_compute_backend_service.service")?["iap"]?["enabled"] == true)
        #expect(wiki.resource("wiki/prod/cloudrun", "google_cloud_run_v2_service.service")?["invoker_iam_disabled"] == false)
        #expect(wiki.resource("wiki/prod/cloudrun", "cloudflare_dns_record.service")?["proxied"] == false)
        #expect(JSONValue.object(wiki.module("wiki/prod/monitoring"))["variable"]?["paging_channels"] != nil)
        // Signed-in services get no uptime check (it would only see the sign-in page).
        #expect(wiki.resource("wiki/prod/monitoring", "google_monitoring_uptime_check_config.healthz") == nil)
    }

    @Test("a job: a Cloud Run job with its deadline, run by Cloud Scheduler in UTC, and an alert on failed runs")
    func job() throws {
        let stacks = try GeneratedStacks(try Self.example("nightly-report").terraform())
        let job = try #require(stacks.resource("nightly-report/prod/cloudrun", "google_cloud_run_v2_job.job"))
        #expect(job["template"]?["template"]?["timeout"] == "3600s")
        let schedule = stacks.resource("nightly-report/prod/cloudrun", "google_cloud_scheduler_job.schedule")
        #expect(schedule?["schedule"] == "30 2 * * *" && schedule?["time_zone"] == "Etc/UTC")
        #expect(stacks.resource("nightly-report/prod/cloudrun", "google_cloud_run_v2_service.service") == nil)
        #expect(stacks.resource("nightly-report/prod/monitoring", "google_monitoring_alert_policy.job_failed")?["severity"] == "CRITICAL")
    }

    @Test("property: any valid spec generates the same bytes twice, every reference resolves, providers are pinned, policy holds", arguments: 0..<4)
    func property(batch: Int) throws {
        var random = SplitMix(seed: UInt64(100 + batch))
        for index in 0..<50 {
            let yaml = RandomServiceSpec.yaml(id: "svc-\(index)", using: &random)
            let spec = try ServiceSpec.load(yaml: yaml, file: "random-\(batch)-\(index).yaml")
            let files = spec.terraform()
            #expect(files == spec.terraform())
            #expect(files.count == Set(files.map(\.path)).count)
            let stacks = try GeneratedStacks(files)
            #expect(stacks.modules.count == spec.environments.count * 4)
            for (path, module) in stacks.modules {
                #expect(GeneratedStacks.danglingReferences(in: module).isEmpty, "\(path): \(GeneratedStacks.danglingReferences(in: module))\n\(yaml)")
                #expect(JSONValue.object(module)["terraform"]?["required_providers"]?["google"]?["version"] == "~> 6.50")
            }
            for environment in spec.environments {
                let cloudrun = "\(spec.service.id)/\(environment.id)/cloudrun"
                let workload = stacks.resource(cloudrun, spec.service.kind == .job ? "google_cloud_run_v2_job.job" : "google_cloud_run_v2_service.service")
                #expect(workload?["deletion_protection"] == .bool(!environment.allowDestroys))
                if environment.category == .external, spec.service.kind == .service {
                    #expect(workload?["ingress"] == "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER")
                    #expect(stacks.resource(cloudrun, "google_compute_security_policy.service")?["rule"]?[0] != nil)
                }
                // User text never becomes a Terraform expression.
                let env = Self.environment(of: workload?["template"]?["containers"] ?? workload?["template"]?["template"]?["containers"])
                #expect(env["GREETING"] == "hello $${name} %%{x}")
            }
        }
    }

    @Test("output sync: a regeneration with nothing changed writes nothing; --check finds a changed file and one no longer generated")
    func outputSync() throws {
        let root = FileManager.default.temporaryDirectory.appending(path: "wharf-sync-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let directory = OutputDirectory(root: root)
        let files = try Self.example("wiki").terraform()
        #expect(try directory.sync(files, owned: ["wiki"], check: false).changed.count == files.count)
        let again = try directory.sync(files, owned: ["wiki"], check: false)
        #expect(again.isCurrent && again.unchanged == files.count)

        let edited = root.appending(path: files[0].path)
        try Data("{}\n".utf8).write(to: edited)
        let orphan = root.appending(path: "wiki/old/project/main.tf.json")
        try FileManager.default.createDirectory(at: orphan.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("{}\n".utf8).write(to: orphan)
        let check = try directory.sync(files, owned: ["wiki"], check: true)
        #expect(check.changed == [files[0].path] && check.removed == ["wiki/old/project/main.tf.json"])
        #expect(try Data(contentsOf: edited) == Data("{}\n".utf8), "--check wrote a file")

        let repaired = try directory.sync(files, owned: ["wiki"], check: false)
        #expect(repaired.changed == [files[0].path] && repaired.removed.count == 1)
        #expect(!FileManager.default.fileExists(atPath: orphan.path))
        #expect(try directory.sync(files, owned: ["wiki"], check: true).isCurrent)
    }

    @Test("generation rules: jobs have no domain, databases and tables once, the platform's secrets and variables stay its own")
    func generationRules() {
        let yaml = """
            service: {id: ab, name: AB, owners: [x], kind: job}
            build: {image: us-docker.pkg.dev/acme/images/ab}
            environments:
              - id: pr
                category: internal
                domain: ab.acme.com
                schedule: {cron: "0 3 * * *"}
                env: {HOST: "::"}
                secretEnv: {TOKEN: diagnostics}
                resources:
                  postgreSQL: {databases: [main, main]}
                  bigQueryDataset: {tables: [Events, events]}
            """
        let failure = #expect(throws: SpecFailure.self) { try ServiceSpec.load(yaml: yaml, file: "ab.yaml") }
        let lines = failure?.problems.map(\.description) ?? []
        #expect(lines.contains("ab.yaml:4:9: environments[0].id: the project id 'ab-pr' (<service>-<environment>) is shorter than GCP's 6 characters; use a longer environment id"))
        #expect(lines.contains("ab.yaml:6:13: environments[0].domain: a job serves no requests, so it has no domain"))
        #expect(lines.contains("ab.yaml:8:11: environments[0].env.HOST: HOST is set by the platform (the runtime contract); remove it"))
        #expect(lines.contains("ab.yaml:9:17: environments[0].secretEnv.TOKEN: the secret 'diagnostics' is the platform's own; name another"))
        #expect(lines.contains("ab.yaml:11:38: environments[0].resources.postgreSQL.databases[1]: 'main' is listed twice; [0] has it too"))
        #expect(lines.contains("ab.yaml:12:42: environments[0].resources.bigQueryDataset.tables[1]: 'events' is listed twice; [0] has it too"))

        let external = """
            service: {id: shop, name: Shop, owners: [x]}
            build: {image: us-docker.pkg.dev/acme/images/shop}
            environments:
              - {id: prod, category: external, domain: shop.acme.com, allowDestroys: true}
            """
        let destroyable = #expect(throws: SpecFailure.self) { try ServiceSpec.load(yaml: external, file: "shop.yaml") }
        #expect(destroyable?.problems.map(\.path) == ["environments[0].allowDestroys"])
    }

    static func environment(of container: JSONValue?) -> [String: JSONValue] {
        guard case .array(let list)? = container?["env"] else { return [:] }
        var env: [String: JSONValue] = [:]
        for entry in list {
            guard case .object(var members) = entry, let name = members.removeValue(forKey: "name")?.stringValue else { continue }
            env[name] = members["value"] ?? .object(members)
        }
        return env
    }

    static func blocks(_ module: [String: JSONValue], _ type: String) -> [JSONValue] {
        guard case .object(let blocks)? = JSONValue.object(module)["resource"]?[type] else { return [] }
        return Array(blocks.values)
    }
}

extension JSONValue {
    var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}

import Foundation
import Testing
import WharfCore
import WharfTesting

@testable import WharfInfra

@Suite("Dedicated-instance Terraform")
struct DedicatedInstanceTests {
    static func record(_ slug: String) throws -> Instance {
        let url = TerraformGenerationTests.repository.appending(path: "Examples/instances/\(slug).json")
        return try WharfJSON.decoder().decode(Instance.self, from: Data(contentsOf: url))
    }

    @Test("the committed example output is what the generator writes today (regenerate: wharf instance terraform SLUG --record Examples/instances/SLUG.json --out Examples/terraform/instances)")
    func goldenFiles() throws {
        let directory = OutputDirectory(root: TerraformGenerationTests.repository.appending(path: "Examples/terraform/instances"))
        for slug in ["acme-prod", "globex-trial"] {
            let report = try directory.sync(try Self.record(slug).terraform(), owned: [slug], check: true)
            #expect(report.isCurrent, "\(slug): stale \(report.changed), removed \(report.removed)")
        }
    }

    @Test("static egress, the allowlist, verified domains, the plan's size and the backup policy shape the project")
    func recordShapesTheProject() throws {
        let acme = try GeneratedStacks(try Self.record("acme-prod").terraform())
        let module = "acme-prod"
        #expect(GeneratedStacks.danglingReferences(in: acme.module(module)).isEmpty)
        let nat = acme.resource(module, "google_compute_router_nat.nat")
        #expect(nat?["nat_ip_allocate_option"] == "MANUAL_ONLY")
        #expect(nat?["nat_ips"] == ["${google_compute_address.egress_0.self_link}", "${google_compute_address.egress_1.self_link}"])
        let rule = acme.resource(module, "cloudflare_ruleset.allowlist")?["rules"]?[0]
        #expect(rule?["action"] == "block")
        #expect(rule?["expression"] == #"(http.host in {"acme-prod.wharf.example.com" "code.acme.com"} and not ip.src in {203.0.113.0/24 198.51.100.7/32})"#)
        // Only verified custom domains get a hostname at the CDN.
        #expect(acme.resource(module, "cloudflare_custom_hostname.domain_code_acme_com")?["hostname"] == "code.acme.com")
        #expect(acme.resource(module, "cloudflare_custom_hostname.domain_git_acme_com") == nil)
        // Enterprise: 3 nodes + 2 for 4 executors, of 8 vCPU; a highly available database.
        let pool = acme.resource(module, "google_container_node_pool.nodes")
        #expect(pool?["node_count"] == "${var.running ? 5 : 0}" && pool?["node_config"]?["machine_type"] == "n2-standard-8")
        let database = acme.resource(module, "google_sql_database_instance.postgresql")?["settings"]
        #expect(database?["availability_type"] == "REGIONAL")
        #expect(database?["backup_configuration"]?["backup_retention_settings"]?["retained_backups"] == 30)
        #expect(database?["maintenance_window"]?["day"] == 7 && database?["maintenance_window"]?["hour"] == 2)
        let snapshots = acme.resource(module, "google_compute_resource_policy.snapshots")?["snapshot_schedule_policy"]
        #expect(snapshots?["schedule"]?["hourly_schedule"]?["hours_in_cycle"] == 12)
        #expect(snapshots?["retention_policy"]?["max_retention_days"] == 30)

        let globex = try GeneratedStacks(try Self.record("globex-trial").terraform())
        #expect(globex.resource("globex-trial", "google_compute_router_nat.nat")?["nat_ip_allocate_option"] == "AUTO_ONLY")
        #expect(globex.resource("globex-trial", "google_compute_address.egress_0") == nil)
        #expect(globex.resource("globex-trial", "cloudflare_ruleset.allowlist") == nil)
        #expect(globex.resource("globex-trial", "google_container_node_pool.nodes")?["node_count"] == "${var.running ? 3 : 0}")
        #expect(globex.resource("globex-trial", "google_compute_resource_policy.snapshots")?["snapshot_schedule_policy"]?["schedule"]?["daily_schedule"] != nil)
    }

    @Test("project ids fit GCP's 30 characters, and differ for slugs that share a long prefix")
    func projectIDs() {
        #expect(DedicatedInstanceStack.projectID("acme-prod") == "inst-acme-prod")
        let first = DedicatedInstanceStack.projectID("a-very-long-customer-name-prod")
        let second = DedicatedInstanceStack.projectID("a-very-long-customer-name-prod2")
        #expect(first.count <= 30 && second.count <= 30 && first != second && !first.contains("--"))
    }
}

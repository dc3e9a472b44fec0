import WharfCore

/// The Terraform of one dedicated instance on the `gcp` provider (SPEC §2): its own project with a private
/// network, Cloud NAT on the instance's reserved egress addresses, a GKE cluster sized by plan, Cloud SQL
/// by its backup policy and maintenance window, a disk snapshot schedule, Cloudflare DNS for the default
/// domain and custom hostnames for verified custom domains, and a WAF rule admitting only the allowlist.
enum DedicatedInstanceStack {
    static func module(_ instance: Instance, region: String) -> TerraformModule {
        var module = TerraformModule(statePrefix: "instances/\(instance.slug)")
        module.provider(.google, [
            "region": .string(region),
            "default_labels": ["wharf-instance": .string(instance.slug), "wharf-customer": .string(instance.customerID.lowercased())],
        ])
        module.provider(.cloudflare)
        module.variable("project_id", type: "string", "The instance's project id; globally unique in GCP.", default: .string(projectID(instance.slug)))
        module.variable("billing_account", type: "string", "The billing account the project is charged to.")
        module.variable("folder_id", type: "string", "The folder instance projects live in (folders/…).")
        module.variable("cloudflare_zone_id", type: "string", "The Cloudflare zone of the default domains (\(instance.defaultDomain.split(separator: ".").dropFirst().joined(separator: "."))).")
        module.variable("gke_security_group", type: "string", "The Google group whose member groups get Kubernetes RBAC in the cluster (gke-security-groups@your-domain).")
        module.variable("running", type: "bool", "False while the instance is suspended: the node pool scales to zero and the database stops; data is kept.", default: true)
        module.variable("deletion_protection", type: "bool", "Set to false only to destroy the instance once its data retention has passed.", default: true)
        module.locals["project_id"] = "${google_project.instance.project_id}"
        module.locals["network_id"] = "${google_compute_network.network.id}"

        addProject(&module, instance, region: region)
        addNetwork(&module, instance, region: region)
        addCluster(&module, instance, region: region)
        addDatabase(&module, instance, region: region)
        addEdge(&module, instance)
        return module
    }

    /// `inst-<slug>`, or for long slugs a prefix of it with a short hash, within GCP's 30 characters.
    static func projectID(_ slug: String) -> String {
        let id = "inst-\(slug)"
        guard id.count > 30 else { return id }
        let hash = slug.utf8.reduce(UInt32(2_166_136_261)) { ($0 ^ UInt32($1)) &* 16_777_619 }
        let suffix = String(String(hash, radix: 16).prefix(6))
        return String(id.prefix(30 - suffix.count - 1)).trimmingSuffix("-") + "-" + suffix
    }

    private static func addProject(_ module: inout TerraformModule, _ instance: Instance, region: String) {
        module.resource("google_project", "instance", [
            "project_id": "${var.project_id}", "name": .string(String("inst-\(instance.slug)".prefix(30))),
            "folder_id": "${var.folder_id}", "billing_account": "${var.billing_account}",
            "auto_create_network": false, "deletion_policy": "${var.deletion_protection ? \"PREVENT\" : \"DELETE\"}",
        ])
        for api in ["compute", "container", "sqladmin", "servicenetworking", "logging", "monitoring"] {
            module.resource("google_project_service", api, ["project": "${local.project_id}", "service": .string("\(api).googleapis.com"), "disable_on_destroy": false])
        }
        NetworkBlocks.auditAllServices(&module, project: "${google_project.instance.project_id}")
    }

    private static func addNetwork(_ module: inout TerraformModule, _ instance: Instance, region: String) {
        module.resource("google_compute_network", "network", [
            "project": "${local.project_id}", "name": "network", "auto_create_subnetworks": false, "depends_on": ["google_project_service.compute"],
        ])
        module.resource("google_compute_subnetwork", "nodes", [
            "project": "${local.project_id}", "name": "nodes", "region": .string(region), "network": "${local.network_id}",
            "ip_cidr_range": "10.0.0.0/20", "private_ip_google_access": true,
            "secondary_ip_range": [["range_name": "pods", "ip_cidr_range": "10.4.0.0/14"], ["range_name": "services", "ip_cidr_range": "10.8.0.0/20"]],
            "log_config": NetworkBlocks.flowLogs,
        ])
        NetworkBlocks.denyIngress(&module, project: "${local.project_id}", network: "${local.network_id}")
        NetworkBlocks.privateServices(&module, project: "${local.project_id}", network: "${local.network_id}")
        module.resource("google_compute_router", "router", ["project": "${local.project_id}", "name": "router", "region": .string(region), "network": "${local.network_id}"])
        var nat: [String: JSONValue] = [
            "project": "${local.project_id}", "name": "nat", "region": .string(region), "router": "${google_compute_router.router.name}",
            "source_subnetwork_ip_ranges_to_nat": "ALL_SUBNETWORKS_ALL_IP_RANGES",
            "log_config": ["enable": true, "filter": "ERRORS_ONLY"],
        ]
        if instance.staticEgress {
            // Reserved addresses, so the customer can allowlist the instance's outbound traffic.
            let count = max(instance.egressStaticIPs.count, 2)
            var addresses: [JSONValue] = []
            for index in 0..<count {
                module.resource("google_compute_address", "egress_\(index)", ["project": "${local.project_id}", "name": .string("egress-\(index)"), "region": .string(region)])
                addresses.append(.string("${google_compute_address.egress_\(index).self_link}"))
            }
            nat["nat_ip_allocate_option"] = "MANUAL_ONLY"
            nat["nat_ips"] = .array(addresses)
            module.output("egress_addresses", "${[\((0..<count).map { "google_compute_address.egress_\($0).address" }.joined(separator: ", "))]}", "The instance's static egress addresses.")
        } else {
            nat["nat_ip_allocate_option"] = "AUTO_ONLY"
        }
        module.resource("google_compute_router_nat", "nat", .object(nat))
    }

    /// Business: 2 nodes of 4 vCPU; enterprise: 3 of 8; one more node per 2 executors.
    private static func addCluster(_ module: inout TerraformModule, _ instance: Instance, region: String) {
        let machine = instance.plan == .enterprise ? "n2-standard-8" : "e2-standard-4"
        let nodes = (instance.plan == .enterprise ? 3 : 2) + (instance.executors + 1) / 2
        module.resource("google_service_account", "nodes", ["project": "${local.project_id}", "account_id": "gke-nodes", "display_name": "GKE nodes"])
        for role in ["logging.logWriter", "monitoring.metricWriter", "monitoring.viewer"] {
            module.resource("google_project_iam_member", "nodes_\(role.snakeCased)", [
                "project": "${local.project_id}", "role": .string("roles/\(role)"), "member": "serviceAccount:${google_service_account.nodes.email}",
            ])
        }
        module.resource("google_container_cluster", "cluster", [
            "project": "${local.project_id}", "name": "instance", "location": .string(region),
            "network": "${local.network_id}", "subnetwork": "${google_compute_subnetwork.nodes.id}",
            "remove_default_node_pool": true, "initial_node_count": 1, "deletion_protection": "${var.deletion_protection}",
            "enable_shielded_nodes": true, "enable_intranode_visibility": true,
            "ip_allocation_policy": ["cluster_secondary_range_name": "pods", "services_secondary_range_name": "services"],
            "private_cluster_config": ["enable_private_nodes": true, "enable_private_endpoint": false, "master_ipv4_cidr_block": "172.16.0.0/28"],
            "master_authorized_networks_config": ["cidr_blocks": [["cidr_block": "10.0.0.0/8", "display_name": "the instance's network"]]],
            "workload_identity_config": ["workload_pool": "${local.project_id}.svc.id.goog"],
            "release_channel": ["channel": "REGULAR"],
            "network_policy": ["enabled": true],
            "master_auth": ["client_certificate_config": ["issue_client_certificate": false]],
            "authenticator_groups_config": ["security_group": "${var.gke_security_group}"],
            "node_config": ["workload_metadata_config": ["mode": "GKE_METADATA"], "shielded_instance_config": ["enable_secure_boot": true, "enable_integrity_monitoring": true]],
            "binary_authorization": ["evaluation_mode": "PROJECT_SINGLETON_POLICY_ENFORCE"],
            "resource_labels": ["wharf-instance": .string(instance.slug)],
            "depends_on": ["google_project_service.container"],
        ])
        module.resource("google_container_node_pool", "nodes", [
            "project": "${local.project_id}", "name": "nodes", "location": .string(region),
            "cluster": "${google_container_cluster.cluster.name}", "node_count": .string("${var.running ? \(nodes) : 0}"),
            "management": ["auto_repair": true, "auto_upgrade": true],
            "node_config": [
                "machine_type": .string(machine), "disk_type": "pd-ssd", "disk_size_gb": 100, "image_type": "COS_CONTAINERD",
                "service_account": "${google_service_account.nodes.email}", "oauth_scopes": ["https://www.googleapis.com/auth/cloud-platform"],
                "shielded_instance_config": ["enable_secure_boot": true, "enable_integrity_monitoring": true],
                "workload_metadata_config": ["mode": "GKE_METADATA"],
                "metadata": ["disable-legacy-endpoints": "true"],
            ],
        ])
        module.output("cluster_name", "${google_container_cluster.cluster.name}", "The instance's GKE cluster.")
    }

    private static func addDatabase(_ module: inout TerraformModule, _ instance: Instance, region: String) {
        let window = instance.maintenanceWindow
        let day = (Weekday.allCases.firstIndex(of: window.day) ?? 6) + 1
        module.resource("google_sql_database_instance", "postgresql", CloudSQLBlock.instance(CloudSQLBlock.Settings(
            name: "instance", region: region, tier: instance.plan == .enterprise ? "db-custom-4-16384" : "db-custom-2-8192",
            highAvailability: instance.plan == .enterprise, maxConnections: 200, protected: "${var.deletion_protection}",
            retainedBackups: max(instance.backupPolicy.retentionDays, 7), maintenanceDay: day, maintenanceHour: window.startHour,
            activationPolicy: "${var.running ? \"ALWAYS\" : \"NEVER\"}"
        )))
        // Cloud SQL's backups are daily; the snapshot schedule follows the instance's own interval.
        let interval = instance.backupPolicy.intervalHours
        let schedule: JSONValue = interval >= 24
            ? ["daily_schedule": ["days_in_cycle": 1, "start_time": "03:00"]]
            : ["hourly_schedule": ["hours_in_cycle": JSONValue(interval), "start_time": "00:00"]]
        module.resource("google_compute_resource_policy", "snapshots", [
            "project": "${local.project_id}", "name": "snapshots", "region": .string(region),
            "snapshot_schedule_policy": [
                "schedule": schedule,
                "retention_policy": ["max_retention_days": JSONValue(instance.backupPolicy.retentionDays), "on_source_disk_delete": "KEEP_AUTO_SNAPSHOTS"],
                "snapshot_properties": ["labels": ["wharf-instance": .string(instance.slug)], "storage_locations": [.string(region)]],
            ],
        ])
        module.output("snapshot_policy", "${google_compute_resource_policy.snapshots.name}", "Attach to the cluster's persistent disks (the storage class's resource-policies).")
        module.output("database_connection_name", "${google_sql_database_instance.postgresql.connection_name}", "For the Cloud SQL Auth Proxy.")
    }

    private static func addEdge(_ module: inout TerraformModule, _ instance: Instance) {
        module.resource("google_compute_global_address", "ingress", ["project": "${local.project_id}", "name": "ingress"])
        module.resource("cloudflare_dns_record", "default_domain", [
            "zone_id": "${var.cloudflare_zone_id}", "name": .string(instance.defaultDomain), "type": "A",
            "content": "${google_compute_global_address.ingress.address}", "proxied": true, "ttl": 1,
            "comment": .string("Wharf instance \(instance.slug)"),
        ])
        let verified = instance.customDomains.filter { $0.verifiedAt != nil }.map(\.domain).sorted()
        for domain in verified {
            module.resource("cloudflare_custom_hostname", "domain_\(domain.snakeCased)", [
                "zone_id": "${var.cloudflare_zone_id}", "hostname": .string(domain),
                "ssl": ["method": "http", "type": "dv", "settings": ["min_tls_version": "1.2"]],
            ])
        }
        if !instance.ingressAllowlist.isEmpty {
            let hosts = ([instance.defaultDomain] + verified).map { "\"\($0)\"" }.joined(separator: " ")
            let sources = instance.ingressAllowlist.joined(separator: " ")
            module.resource("cloudflare_ruleset", "allowlist", [
                "zone_id": "${var.cloudflare_zone_id}", "name": .string("wharf-\(instance.slug)-allowlist"),
                "description": .string("Only the allowlist of \(instance.slug) reaches it"),
                "kind": "zone", "phase": "http_request_firewall_custom",
                "rules": [[
                    "action": "block", "description": "Sources outside the instance's allowlist",
                    "expression": .string("(http.host in {\(hosts)} and not ip.src in {\(sources)})"),
                    "enabled": true,
                ]],
            ])
        }
        module.output("ingress_address", "${google_compute_global_address.ingress.address}", "Where the default domain points (through the CDN).")
    }
}

extension Instance {
    /// The Terraform of this instance's dedicated project, in `<slug>/` (see `DedicatedInstanceStack`).
    public func terraform(region: String = "us-central1") -> [GeneratedFile] {
        DedicatedInstanceStack.module(self, region: region).files.sorted { $0.key < $1.key }.map { GeneratedFile(path: "\(slug)/\($0.key)", contents: $0.value) }
    }
}

import WharfCore

/// Network pieces every generated project has: a deny-all ingress firewall, subnet flow logs, and private
/// service access for Cloud SQL and Memorystore. `project` and `network` are the expressions naming them.
enum NetworkBlocks {
    static let flowLogs: JSONValue = ["aggregation_interval": "INTERVAL_10_MIN", "flow_sampling": 0.5, "metadata": "INCLUDE_ALL_METADATA"]

    /// Nothing from outside the network gets in; load balancers and managed services need no inbound rule.
    static func denyIngress(_ module: inout TerraformModule, project: JSONValue, network: JSONValue) {
        module.resource("google_compute_firewall", "deny_ingress", [
            "project": project,
            "name": "deny-ingress",
            "network": network,
            "direction": "INGRESS",
            "priority": 65534,
            "source_ranges": ["0.0.0.0/0"],
            "deny": [["protocol": "all"]],
            "log_config": ["metadata": "INCLUDE_ALL_METADATA"],
        ])
    }

    static func privateServices(_ module: inout TerraformModule, project: JSONValue, network: JSONValue) {
        module.resource("google_compute_global_address", "private_services", [
            "project": project,
            "name": "private-services",
            "purpose": "VPC_PEERING",
            "address_type": "INTERNAL",
            "prefix_length": 20,
            "network": network,
        ])
        module.resource("google_service_networking_connection", "private_services", [
            "network": network,
            "service": "servicenetworking.googleapis.com",
            "reserved_peering_ranges": ["${google_compute_global_address.private_services.name}"],
            "depends_on": ["google_project_service.servicenetworking"],
        ])
    }

    static func auditAllServices(_ module: inout TerraformModule, project: JSONValue) {
        module.resource("google_project_iam_audit_config", "all_services", [
            "project": project,
            "service": "allServices",
            "audit_log_config": [["log_type": "ADMIN_READ"], ["log_type": "DATA_READ"], ["log_type": "DATA_WRITE"]],
        ])
    }
}

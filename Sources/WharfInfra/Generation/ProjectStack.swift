import WharfCore

/// The `project` stack: the environment's own GCP project, the APIs it uses, its network, private service
/// access for Cloud SQL and Memorystore, and (for `external`) audit logging.
enum ProjectStack {
    static func module(_ context: StackContext) -> TerraformModule {
        var module = context.module("project")
        let environment = context.environment
        module.variable("project_id", type: "string", "The project's id; globally unique in GCP.", default: .string(context.qualifiedID))
        module.variable("billing_account", type: "string", "The billing account the project is charged to.")
        module.variable("folder_id", type: "string", "The folder the project is created in (folders/…).")

        module.resource("google_project", "project", [
            "project_id": "${var.project_id}",
            "name": .string(context.qualifiedID),
            "folder_id": "${var.folder_id}",
            "billing_account": "${var.billing_account}",
            "auto_create_network": false,
            "deletion_policy": environment.allowDestroys ? "DELETE" : "PREVENT",
        ])
        for api in apis(context) {
            module.resource("google_project_service", String(api.split(separator: ".")[0]), [
                "project": "${google_project.project.project_id}",
                "service": .string(api),
                "disable_on_destroy": false,
            ])
        }

        module.resource("google_compute_network", "network", [
            "project": "${google_project.project.project_id}",
            "name": "network",
            "auto_create_subnetworks": false,
            "depends_on": ["google_project_service.compute"],
        ])
        NetworkBlocks.denyIngress(&module, project: "${google_project.project.project_id}", network: "${google_compute_network.network.id}")
        module.resource("google_compute_subnetwork", "subnetwork", [
            "project": "${google_project.project.project_id}",
            "name": .string(context.region),
            "region": .string(context.region),
            "network": "${google_compute_network.network.id}",
            "ip_cidr_range": "10.0.0.0/20",
            "private_ip_google_access": true,
            "log_config": NetworkBlocks.flowLogs,
        ])
        if needsPrivateServices(environment) {
            NetworkBlocks.privateServices(&module, project: "${google_project.project.project_id}", network: "${google_compute_network.network.id}")
        }
        if context.policy.auditLogging {
            NetworkBlocks.auditAllServices(&module, project: "${google_project.project.project_id}")
        }

        module.output("project_id", "${google_project.project.project_id}", "The environment's project.")
        module.output("project_number", "${google_project.project.number}", "The project's number, which names its service agents.")
        module.output("network_id", "${google_compute_network.network.id}", "The project's VPC network.")
        module.output("subnetwork_id", "${google_compute_subnetwork.subnetwork.id}", "The subnetwork Cloud Run reaches the network through.")
        return module
    }

    static func needsPrivateServices(_ environment: ServiceEnvironment) -> Bool {
        environment.resources.postgreSQL != nil || environment.resources.redis != nil
    }

    /// The APIs the environment uses, and no others.
    static func apis(_ context: StackContext) -> [String] {
        let environment = context.environment
        var apis = [
            "compute.googleapis.com", "iam.googleapis.com", "logging.googleapis.com", "monitoring.googleapis.com",
            "run.googleapis.com", "secretmanager.googleapis.com", "cloudtrace.googleapis.com",
        ]
        if needsPrivateServices(environment) { apis.append("servicenetworking.googleapis.com") }
        if environment.resources.postgreSQL != nil { apis.append("sqladmin.googleapis.com") }
        if environment.resources.redis != nil { apis.append("redis.googleapis.com") }
        if environment.resources.bigQueryDataset != nil { apis.append("bigquery.googleapis.com") }
        if context.isJob { apis.append("cloudscheduler.googleapis.com") }
        if context.policy.loadBalancer { apis.append("certificatemanager.googleapis.com") }
        if context.policy.identityAwareProxy { apis.append("iap.googleapis.com") }
        return apis
    }
}

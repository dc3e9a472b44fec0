import WharfCore

/// The `iam` stack: the workload's service account with only the roles its resources need, the diagnostics
/// secret, and the Secret Manager secrets its `secretEnv` names, each readable by the workload alone.
enum IAMStack {
    static func module(_ context: StackContext) -> TerraformModule {
        var module = context.module("iam")
        let environment = context.environment
        module.variable(
            "diagnostics_secret", type: "string",
            "The bearer secret guarding /-/healthz, at least 16 characters (openssl rand -hex 32). Write-only: it is not kept in state.",
            sensitive: true
        )
        module.resource("google_service_account", "workload", [
            "project": "${local.project_id}",
            "account_id": "workload",
            "display_name": .string("\(context.spec.service.name) (\(environment.id)) workload".terraformEscaped),
            "description": "The identity the service runs as; it holds only the roles its resources need.",
        ])
        for role in projectRoles(environment) {
            module.resource("google_project_iam_member", role.snakeCased, [
                "project": "${local.project_id}",
                "role": .string("roles/\(role)"),
                "member": "serviceAccount:${google_service_account.workload.email}",
            ])
        }

        module.resource("google_secret_manager_secret", "diagnostics", secret(id: "diagnostics"))
        module.resource("google_secret_manager_secret_version", "diagnostics", [
            "secret": "${google_secret_manager_secret.diagnostics.id}",
            "secret_data_wo": "${var.diagnostics_secret}",
            "secret_data_wo_version": 1,
        ])
        grantAccess(&module, name: "diagnostics", secret: "${google_secret_manager_secret.diagnostics.secret_id}")
        var names: Set<String> = []
        for id in Set(environment.secretEnv.values).sorted() {
            var name = "secret_\(id.snakeCased)"
            while !names.insert(name).inserted { name += "_" }
            module.resource("google_secret_manager_secret", name, secret(id: id))
            grantAccess(&module, name: name, secret: "${google_secret_manager_secret.\(name).secret_id}")
        }

        module.output("workload_service_account_email", "${google_service_account.workload.email}", "The service account the service runs as.")
        module.output("workload_service_account_member", "${google_service_account.workload.member}", "The same, as an IAM member.")
        return module
    }

    /// Project-level roles: telemetry always, Cloud SQL client and IAM login with a database, BigQuery jobs
    /// with a dataset. Access to secrets and the dataset itself is granted on those resources alone.
    static func projectRoles(_ environment: ServiceEnvironment) -> [String] {
        var roles = ["logging.logWriter", "monitoring.metricWriter", "cloudtrace.agent"]
        if environment.resources.postgreSQL != nil { roles += ["cloudsql.client", "cloudsql.instanceUser"] }
        if environment.resources.bigQueryDataset != nil { roles.append("bigquery.jobUser") }
        return roles
    }

    private static func secret(id: String) -> JSONValue {
        ["project": "${local.project_id}", "secret_id": .string(id), "replication": ["auto": [:]]]
    }

    private static func grantAccess(_ module: inout TerraformModule, name: String, secret: String) {
        module.resource("google_secret_manager_secret_iam_member", "\(name)_workload", [
            "project": "${local.project_id}",
            "secret_id": .string(secret),
            "role": "roles/secretmanager.secretAccessor",
            "member": "serviceAccount:${google_service_account.workload.email}",
        ])
    }
}

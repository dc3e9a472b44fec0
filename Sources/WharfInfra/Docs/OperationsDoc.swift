/// The operations doc of one environment (Markdown): what the service is, who owns it, what it runs on and
/// where to find it, the rollout, every alert with its meaning and first steps, and the everyday commands.
/// Sections that do not apply to the spec are left out.
struct OperationsDoc {
    let context: StackContext

    var markdown: String {
        var lines: [String] = []
        let spec = context.spec, environment = context.environment
        lines += ["# \(spec.service.name) — \(environment.id)", ""]
        if let description = spec.service.description { lines += [description, ""] }
        lines += [
            "| | |", "|---|---|",
            "| Service | `\(context.service)` (\(spec.service.kind == .job ? "a scheduled job" : "a service")) |",
            "| Owners | \(spec.service.owners.joined(separator: ", ")) |",
            "| Environment | `\(environment.id)`: \(categoryText) |",
            "| Project | [`\(context.qualifiedID)`](\(console("home/dashboard"))) |",
            "| Region | \(context.region) |",
        ]
        if let domain = environment.domain, !context.isJob { lines.append("| Address | https://\(domain) |") }
        lines += ["| Image | `\(spec.build.image)` |", "| Deploys | \(deployText) |", ""]
        lines += resourcesSection()
        lines += rolloutSection()
        lines += alertsSection()
        lines += commandsSection()
        lines += infrastructureSection()
        return lines.joined(separator: "\n")
    }

    private var categoryText: String {
        switch context.environment.category {
        case .external: "external — serves customers through the CDN only; audit logs on; critical alerts page"
        case .internal: "internal — for employees, not public; critical alerts page"
        case .test: "test — relaxed policy; alerts notify but do not page"
        }
    }

    private var deployText: String {
        switch context.environment.deployType {
        case .manual: "by hand: set `image_tag` and apply the cloudrun stack"
        case .subscription: "follows each new image"
        case .rollout: "as a stage of the rollout"
        }
    }

    private func console(_ page: String) -> String {
        "https://console.cloud.google.com/\(page)?project=\(context.qualifiedID)"
    }

    private func resourcesSection() -> [String] {
        let environment = context.environment, instances = environment.instances
        var lines = ["## Resources", ""]
        if context.isJob {
            let deadline = environment.schedule?.deadlineSeconds ?? 600
            lines.append("- **Cloud Run job** `\(context.service)`: \(instances.cpu) CPU, \(MemorySize.text(instances.memory)); runs `\(environment.schedule?.cron ?? "")` (UTC), stopped after \(deadline) s. [Console](\(console("run/jobs/details/\(context.region)/\(context.service)/executions"))).")
        } else {
            let scaling = instances.scaling
            lines.append("- **Cloud Run service** `\(context.service)`: \(instances.cpu) CPU, \(MemorySize.text(instances.memory)) each, \(scaling.minCount)–\(scaling.maxCount) instances, \(scaling.concurrency) requests at once per instance. [Console](\(console("run/detail/\(context.region)/\(context.service)/metrics"))).")
        }
        if let database = environment.resources.postgreSQL {
            let databases = database.databases.map { "`\($0)`" }.joined(separator: ", ")
            lines.append("- **Cloud SQL PostgreSQL 18** `\(context.service)`: databases \(databases); \(database.cpu) vCPU, \(database.memoryGB) GB\(database.highAvailability ? ", highly available" : ""); private IP only, TLS, IAM login; point-in-time recovery and 90 daily backups. [Console](\(console("sql/instances/\(context.service)/overview"))).")
        }
        if let redis = environment.resources.redis {
            lines.append("- **Memorystore Redis** `\(context.service)`: \(redis.memoryGB) GB, \(redis.highAvailability ? "standard tier with a replica" : "basic tier"); AUTH and TLS. [Console](\(console("memorystore/redis/locations/\(context.region)/instances/\(context.service)/details"))).")
        }
        if let dataset = environment.resources.bigQueryDataset {
            lines.append("- **BigQuery dataset** `\(context.service.snakeCased)`: tables \(dataset.tables.map { "`\($0)`" }.joined(separator: ", ")). [Console](\(console("bigquery"))).")
        }
        let secrets = environment.secretEnv.sorted { $0.key < $1.key }.map { "`\($0.value)` (`\($0.key)`)" }
        if !secrets.isEmpty {
            lines.append("- **Secrets** in Secret Manager: \(secrets.joined(separator: ", ")). Add a version with `gcloud secrets versions add SECRET --data-file=- --project \(context.qualifiedID)`.")
        }
        if context.policy.loadBalancer {
            var way = "- **Load balancer** for \(environment.domain ?? ""): certificate from Certificate Manager, Cloud Armor"
            way += context.policy.cdnOnly ? " admitting only the CDN's addresses" : ""
            way += context.policy.identityAwareProxy ? ", Identity-Aware Proxy (grant access with the `iap_members` variable)" : ""
            lines.append(way + ".")
        }
        lines.append("- **Logs** in [Logs Explorer](\(console("logs/query"))); alerts in [Monitoring](\(console("monitoring/alerting"))).")
        return lines + [""]
    }

    private func rolloutSection() -> [String] {
        guard let stages = context.spec.rollout?.stages, stages.count > 1,
              let position = stages.firstIndex(where: { $0.environment == context.environment.id })
        else { return [] }
        let path = stages.map { $0.environment == context.environment.id ? "**\($0.environment)**" : $0.environment }.joined(separator: " → ")
        var lines = ["## Rollout", "", "A release goes \(path); this environment is stage \(position + 1) of \(stages.count)."]
        if position > 0 { lines.append("It gets a release only after `\(stages[position - 1].environment)` runs it healthily.") }
        return lines + [""]
    }

    private func alertsSection() -> [String] {
        var lines = ["## Alerts", ""]
        for alert in AlertCatalog.alerts(context) {
            let pages = alert.critical && context.policy.paging
            lines += [
                "### \(alert.title) (`\(alert.id)`)", "",
                "\(alert.critical ? "Critical" : "Warning")\(pages ? ", pages" : ""). \(alert.meaning)", "",
                "First steps: \(alert.firstSteps)", "",
            ]
        }
        return lines
    }

    private func commandsSection() -> [String] {
        let id = context.qualifiedID, region = context.region, service = context.service, environment = context.environment.id
        var lines = ["## Everyday commands", "", "```sh", "# Tail the logs", "wharf msp logs \(service) \(environment)"]
        if context.environment.resources.postgreSQL != nil {
            lines += ["# Open psql on the database (through the Cloud SQL Auth Proxy, as you, with IAM login)", "wharf msp db connect \(service) \(environment) --exec"]
        }
        if context.isJob {
            lines += ["# Run the job now", "gcloud run jobs execute \(service) --project \(id) --region \(region) --wait"]
        } else {
            lines += [
                "# See the revisions, then roll back by sending all traffic to the previous one",
                "gcloud run revisions list --service \(service) --project \(id) --region \(region)",
                "gcloud run services update-traffic \(service) --project \(id) --region \(region) --to-revisions PREVIOUS_REVISION=100",
            ]
        }
        lines += ["# Run it on your machine with the same contract", "wharf msp up \(service) \(environment)", "```", ""]
        return lines
    }

    private func infrastructureSection() -> [String] {
        let base = "terraform/\(context.service)/\(context.environment.id)"
        return [
            "## Infrastructure", "",
            "Generated by `wharf msp generate` into `\(base)/`; apply the stacks in order, each with `terraform init -backend-config=bucket=STATE_BUCKET` first:",
            "",
        ] + StackContext.stacks.enumerated().map { "\($0.offset + 1). `\(base)/\($0.element)`" } + [
            "",
            "Deletion protection is \(context.environment.allowDestroys ? "off (`allowDestroys: true`)" : "on: Terraform cannot destroy the project, the database or the service").",
            "",
        ]
    }
}

extension ServiceSpec {
    /// The operations docs, one Markdown file per environment: `<service>/<environment>.md`.
    public func operationsDocs() -> [GeneratedFile] {
        environments.map { environment in
            GeneratedFile(path: "\(service.id)/\(environment.id).md", contents: OperationsDoc(context: StackContext(spec: self, environment: environment)).markdown)
        }
    }
}

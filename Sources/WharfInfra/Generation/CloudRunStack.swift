import WharfCore

/// The `cloudrun` stack: the Cloud Run service (or job and its schedule) on the runtime contract, the
/// environment's stateful resources, and for a domain the load balancer and DNS in front of it.
enum CloudRunStack {
    static let port = 9992
    static let healthPath = "/-/healthz"

    static func module(_ context: StackContext) -> TerraformModule {
        var module = context.module("cloudrun")
        module.remoteState(of: "iam", prefix: context.statePrefix("iam"))
        module.locals["service_account_email"] = "${data.terraform_remote_state.iam.outputs.workload_service_account_email}"
        module.locals["network_id"] = "${data.terraform_remote_state.project.outputs.network_id}"
        module.locals["subnetwork_id"] = "${data.terraform_remote_state.project.outputs.subnetwork_id}"
        module.variable("image_tag", type: "string", "The image tag (or @sha256 digest) to run; a deploy changes only this.")

        var env = contractEnvironment(context)
        ResourcesBlocks.add(to: &module, env: &env, context)
        if context.isJob {
            addJob(to: &module, env: env, context)
        } else {
            addService(to: &module, env: env, context)
            if context.policy.loadBalancer { LoadBalancerBlocks.add(to: &module, context) }
        }
        return module
    }

    /// The runtime contract (SPEC §9) plus the spec's own variables; Cloud Run sets `PORT` from the port.
    static func contractEnvironment(_ context: StackContext) -> [String: JSONValue] {
        var env: [String: JSONValue] = [
            "ENVIRONMENT_ID": .string(context.qualifiedID),
            "LOG_FORMAT": "json",
            "DIAGNOSTICS_SECRET": secretReference("diagnostics"),
        ]
        if !context.isJob { env["HOST"] = "0.0.0.0" }
        for (name, value) in context.environment.env { env[name] = .string(value.terraformEscaped) }
        for (name, secret) in context.environment.secretEnv { env[name] = secretReference(secret) }
        return env
    }

    static func secretReference(_ secret: String) -> JSONValue {
        ["value_source": ["secret_key_ref": ["secret": .string(secret), "version": "latest"]]]
    }

    static func container(_ env: [String: JSONValue], _ context: StackContext) -> [String: JSONValue] {
        let instances = context.environment.instances
        let list: [JSONValue] = env.keys.sorted().map { name in
            guard case .object(var entry) = env[name]! else { return ["name": .string(name), "value": env[name]!] }
            entry["name"] = .string(name)
            return .object(entry)
        }
        return [
            "image": .string("\(context.spec.build.image):${var.image_tag}"),
            "env": .array(list),
            "resources": ["limits": ["cpu": .string("\(instances.cpu)"), "memory": .string(MemorySize.text(instances.memory))]],
        ]
    }

    static var vpcAccess: JSONValue {
        ["network_interfaces": ["network": "${local.network_id}", "subnetwork": "${local.subnetwork_id}"], "egress": "PRIVATE_RANGES_ONLY"]
    }

    private static func addService(to module: inout TerraformModule, env: [String: JSONValue], _ context: StackContext) {
        let environment = context.environment
        module.data("google_secret_manager_secret_version_access", "diagnostics", ["project": "${local.project_id}", "secret": "diagnostics"])
        let probe: JSONValue = [
            "http_get": [
                "path": .string(healthPath), "port": .number(Double(port)),
                "http_headers": ["name": "Authorization", "value": "Bearer ${data.google_secret_manager_secret_version_access.diagnostics.secret_data}"],
            ],
            "timeout_seconds": .number(Double(environment.healthProbes.timeoutSeconds)),
            "period_seconds": .number(Double(max(environment.healthProbes.intervalSeconds, environment.healthProbes.timeoutSeconds))),
            "failure_threshold": 3,
        ]
        var container = container(env, context)
        container["name"] = "service"
        container["ports"] = ["name": "http1", "container_port": .number(Double(port))]
        container["startup_probe"] = probe
        container["liveness_probe"] = probe
        if case .object(var resources) = container["resources"] {
            resources["cpu_idle"] = .bool(environment.instances.scaling.minCount == 0)
            resources["startup_cpu_boost"] = true
            container["resources"] = .object(resources)
        }
        module.resource("google_cloud_run_v2_service", "service", [
            "project": "${local.project_id}",
            "name": .string(context.service),
            "location": .string(context.region),
            "ingress": .string(context.policy.ingress),
            "invoker_iam_disabled": .bool(context.policy.ingress != "INGRESS_TRAFFIC_INTERNAL_ONLY" && !context.policy.identityAwareProxy),
            "deletion_protection": .bool(!environment.allowDestroys),
            "template": [
                "service_account": "${local.service_account_email}",
                "max_instance_request_concurrency": JSONValue(environment.instances.scaling.concurrency),
                "scaling": ["min_instance_count": JSONValue(environment.instances.scaling.minCount), "max_instance_count": JSONValue(environment.instances.scaling.maxCount)],
                "vpc_access": vpcAccess,
                "containers": .object(container),
            ],
        ])
        module.output("service_name", "${google_cloud_run_v2_service.service.name}", "The Cloud Run service.")
        module.output("service_uri", "${google_cloud_run_v2_service.service.uri}", "Its run.app address (reachable as the ingress setting allows).")
    }

    private static func addJob(to module: inout TerraformModule, env: [String: JSONValue], _ context: StackContext) {
        let environment = context.environment
        var container = container(env, context)
        container["name"] = "job"
        module.resource("google_cloud_run_v2_job", "job", [
            "project": "${local.project_id}",
            "name": .string(context.service),
            "location": .string(context.region),
            "deletion_protection": .bool(!environment.allowDestroys),
            "template": [
                "task_count": 1,
                "template": [
                    "service_account": "${local.service_account_email}",
                    "timeout": .string("\(environment.schedule?.deadlineSeconds ?? 600)s"),
                    "max_retries": 1,
                    "vpc_access": vpcAccess,
                    "containers": .object(container),
                ],
            ],
        ])
        module.resource("google_cloud_run_v2_job_iam_member", "scheduler_invoker", [
            "project": "${local.project_id}",
            "location": .string(context.region),
            "name": "${google_cloud_run_v2_job.job.name}",
            "role": "roles/run.invoker",
            "member": "serviceAccount:${local.service_account_email}",
        ])
        if let schedule = environment.schedule {
            module.resource("google_cloud_scheduler_job", "schedule", [
                "project": "${local.project_id}",
                "region": .string(context.region),
                "name": .string("\(context.service)-schedule"),
                "schedule": .string(schedule.cron),
                "time_zone": "Etc/UTC",
                "http_target": [
                    "http_method": "POST",
                    "uri": .string("https://run.googleapis.com/v2/projects/${local.project_id}/locations/\(context.region)/jobs/${google_cloud_run_v2_job.job.name}:run"),
                    "oauth_token": ["service_account_email": "${local.service_account_email}"],
                ],
                "depends_on": ["google_cloud_run_v2_job_iam_member.scheduler_invoker"],
            ])
        }
        module.output("job_name", "${google_cloud_run_v2_job.job.name}", "The Cloud Run job.")
    }
}

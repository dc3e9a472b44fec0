import WharfCore

/// The `monitoring` stack: the uptime check and one alert policy per `AlertCatalog` entry. Critical alerts
/// go to the paging channels where the category pages (`external`, `internal`).
enum MonitoringStack {
    static func module(_ context: StackContext) -> TerraformModule {
        var module = context.module("monitoring")
        module.variable("notification_channels", type: "list(string)", "Notification channels (projects/…/notificationChannels/…) every alert goes to.", default: [])
        if context.policy.paging {
            module.variable("paging_channels", type: "list(string)", "Notification channels that page the on-call engineer; critical alerts go here too.")
        }
        let alerts = AlertCatalog.alerts(context)
        if alerts.contains(where: { if case .uptime = $0.condition { true } else { false } }) {
            addUptimeCheck(to: &module, context)
        }
        for alert in alerts {
            module.resource("google_monitoring_alert_policy", alert.id.snakeCased, policy(alert, context))
        }
        return module
    }

    private static func addUptimeCheck(to module: inout TerraformModule, _ context: StackContext) {
        module.data("google_secret_manager_secret_version_access", "diagnostics", ["project": "${local.project_id}", "secret": "diagnostics"])
        let host: JSONValue
        if let domain = context.environment.domain {
            host = .string(domain)
        } else {
            module.remoteState(of: "cloudrun", prefix: context.statePrefix("cloudrun"))
            host = "${trimprefix(data.terraform_remote_state.cloudrun.outputs.service_uri, \"https://\")}"
        }
        module.resource("google_monitoring_uptime_check_config", "healthz", [
            "project": "${local.project_id}",
            "display_name": .string("\(context.qualifiedID) /-/healthz"),
            "timeout": .string("\(min(context.environment.healthProbes.timeoutSeconds, 60))s"),
            "period": "60s",
            "http_check": [
                "path": .string(CloudRunStack.healthPath), "port": 443, "use_ssl": true, "validate_ssl": true,
                "headers": ["Authorization": "Bearer ${data.google_secret_manager_secret_version_access.diagnostics.secret_data}"],
                "mask_headers": true,
                "accepted_response_status_codes": ["status_class": "STATUS_CLASS_2XX"],
            ],
            "monitored_resource": ["type": "uptime_url", "labels": ["project_id": "${local.project_id}", "host": host]],
        ])
    }

    private static func policy(_ alert: AlertDefinition, _ context: StackContext) -> JSONValue {
        let duration = JSONValue.string("\(alert.durationMinutes * 60)s")
        var condition: [String: JSONValue] = ["display_name": .string(alert.title.terraformEscaped)]
        switch alert.condition {
        case .threshold(let filter, let aligner, let above, let value):
            condition["condition_threshold"] = [
                "filter": .string(filter),
                "comparison": above ? "COMPARISON_GT" : "COMPARISON_LT",
                "threshold_value": .number(value),
                "duration": duration,
                "aggregations": [["alignment_period": "60s", "per_series_aligner": .string(aligner)]],
                "trigger": ["count": 1],
            ]
        case .promQL(let query):
            condition["condition_prometheus_query_language"] = ["query": .string(query.terraformEscaped), "duration": duration, "evaluation_interval": "60s"]
        case .uptime(let check):
            condition["condition_threshold"] = [
                "filter": .string(#"resource.type = "uptime_url" AND metric.type = "monitoring.googleapis.com/uptime_check/check_passed" AND metric.labels.check_id = "${google_monitoring_uptime_check_config.\#(check).uptime_check_id}""#),
                "comparison": "COMPARISON_GT",
                "threshold_value": 1,
                "duration": duration,
                "aggregations": [[
                    "alignment_period": "60s", "per_series_aligner": "ALIGN_NEXT_OLDER",
                    "cross_series_reducer": "REDUCE_COUNT_FALSE", "group_by_fields": ["resource.label.*"],
                ]],
                "trigger": ["count": 1],
            ]
        }
        let pages = alert.critical && context.policy.paging
        return [
            "project": "${local.project_id}",
            "display_name": .string("\(context.qualifiedID): \(alert.title)".terraformEscaped),
            "combiner": "OR",
            "severity": alert.critical ? "CRITICAL" : "WARNING",
            "conditions": [.object(condition)],
            "notification_channels": pages ? "${concat(var.paging_channels, var.notification_channels)}" : "${var.notification_channels}",
            "alert_strategy": ["auto_close": "1800s"],
            "documentation": [
                "subject": .string("\(context.qualifiedID): \(alert.title)".terraformEscaped),
                "content": .string("\(alert.meaning)\n\nFirst steps: \(alert.firstSteps)\n\nOperations docs: `wharf msp ops \(context.service) \(context.environment.id)`".terraformEscaped),
                "mime_type": "text/markdown",
            ],
            "user_labels": ["alert": .string(alert.id)],
        ]
    }
}

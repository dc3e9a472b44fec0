/// The alerts of one environment: the defaults every service gets (SPEC §8) and the spec's own.
enum AlertCatalog {
    static func alerts(_ context: StackContext) -> [AlertDefinition] {
        var alerts = context.isJob ? jobAlerts(context) : serviceAlerts(context)
        if let postgreSQL = context.environment.resources.postgreSQL { alerts += databaseAlerts(postgreSQL, context) }
        if context.environment.resources.redis != nil { alerts += redisAlerts(context) }
        if !context.isJob { alerts += specAlerts(context) }
        return alerts
    }

    static func cloudRun(_ context: StackContext, _ metric: String) -> String {
        context.isJob
            ? #"resource.type = "cloud_run_job" AND resource.labels.job_name = "\#(context.service)" AND metric.type = "run.googleapis.com/\#(metric)""#
            : #"resource.type = "cloud_run_revision" AND resource.labels.service_name = "\#(context.service)" AND metric.type = "run.googleapis.com/\#(metric)""#
    }

    private static func serviceAlerts(_ context: StackContext) -> [AlertDefinition] {
        let maxCount = context.environment.instances.scaling.maxCount
        var alerts = [
            AlertDefinition(
                id: "cpu", title: "CPU utilisation high",
                meaning: "The busiest instances have used over 80% of their CPU for 10 minutes; requests slow down and may time out.",
                firstSteps: "Look for a traffic rise or a slow code path in the latest release (latency by revision). Raise `instances.cpu` or `scaling.maxCount`, or roll back.",
                condition: .threshold(filter: cloudRun(context, "container/cpu/utilizations"), aligner: "ALIGN_PERCENTILE_99", above: true, value: 0.8),
                durationMinutes: 10, critical: false
            ),
            AlertDefinition(
                id: "memory", title: "Memory utilisation high",
                meaning: "The fullest instances have used over 85% of their memory for 10 minutes; instances near the limit are killed.",
                firstSteps: "Check for a leak (memory climbing since the last deploy) or larger requests. Raise `instances.memory`, or roll back.",
                condition: .threshold(filter: cloudRun(context, "container/memory/utilizations"), aligner: "ALIGN_PERCENTILE_99", above: true, value: 0.85),
                durationMinutes: 10, critical: false
            ),
            AlertDefinition(
                id: "instance-count", title: "At the instance limit",
                meaning: "The service has run at its maximum of \(maxCount) instances for 15 minutes; more traffic will queue or be refused.",
                firstSteps: "Check whether the traffic is expected. Raise `scaling.maxCount` or `scaling.concurrency` if it is.",
                condition: .threshold(filter: cloudRun(context, "container/instance_count"), aligner: "ALIGN_MAX", above: true, value: Double(maxCount) - 0.5),
                durationMinutes: 15, critical: false
            ),
            AlertDefinition(
                id: "pending-requests", title: "Requests waiting for an instance",
                meaning: "More than 10 requests have waited for a free instance for 5 minutes: the service cannot start instances fast enough.",
                firstSteps: "Raise `scaling.minCount` to keep warm instances, or look at slow start-up in the logs.",
                condition: .threshold(filter: cloudRun(context, "pending_queue/pending_requests"), aligner: "ALIGN_MAX", above: true, value: 10),
                durationMinutes: 5, critical: false
            ),
        ]
        if context.policy.publiclyReachable {
            alerts.append(AlertDefinition(
                id: "uptime", title: "Health check failing",
                meaning: "/-/healthz has failed from more than one region: users are probably seeing errors.",
                firstSteps: "Open the service's logs for errors since the failure started; check the latest revision and roll back if it is new.",
                condition: .uptime(check: "healthz"), durationMinutes: 1, critical: true
            ))
        }
        return alerts
    }

    private static func jobAlerts(_ context: StackContext) -> [AlertDefinition] {
        [AlertDefinition(
            id: "job-failed", title: "Job run failed",
            meaning: "A run of the job failed or passed its deadline of \(context.environment.schedule?.deadlineSeconds ?? 600) s.",
            firstSteps: "Read the failed execution's logs; run it again by hand once fixed.",
            condition: .threshold(filter: cloudRun(context, "job/completed_execution_count") + #" AND metric.labels.result = "failed""#, aligner: "ALIGN_SUM", above: true, value: 0),
            durationMinutes: 0, critical: true
        )]
    }

    private static func databaseAlerts(_ postgreSQL: PostgreSQLResource, _ context: StackContext) -> [AlertDefinition] {
        func filter(_ metric: String) -> String {
            #"resource.type = "cloudsql_database" AND resource.labels.database_id = "${local.project_id}:\#(context.service)" AND metric.type = "cloudsql.googleapis.com/database/\#(metric)""#
        }
        return [
            AlertDefinition(
                id: "database-cpu", title: "Database CPU high",
                meaning: "The Cloud SQL instance has used over 80% CPU for 10 minutes; queries slow down.",
                firstSteps: "Find the expensive queries in Query Insights; add an index or raise `postgreSQL.cpu`.",
                condition: .threshold(filter: filter("cpu/utilization"), aligner: "ALIGN_MEAN", above: true, value: 0.8), durationMinutes: 10, critical: false
            ),
            AlertDefinition(
                id: "database-memory", title: "Database memory high",
                meaning: "The Cloud SQL instance has used over 90% of its memory for 10 minutes.",
                firstSteps: "Check connection count and work_mem-heavy queries; raise `postgreSQL.memoryGB`.",
                condition: .threshold(filter: filter("memory/utilization"), aligner: "ALIGN_MEAN", above: true, value: 0.9), durationMinutes: 10, critical: false
            ),
            AlertDefinition(
                id: "database-disk", title: "Database disk nearly full",
                meaning: "The disk is over 85% full; it grows automatically, but a sudden rise means runaway writes or bloat.",
                firstSteps: "Find the growing tables; check for stuck transactions holding back vacuum.",
                condition: .threshold(filter: filter("disk/utilization"), aligner: "ALIGN_MAX", above: true, value: 0.85), durationMinutes: 5, critical: true
            ),
            AlertDefinition(
                id: "database-connections", title: "Database connections near the limit",
                meaning: "More than 80% of max_connections (\(postgreSQL.maxConnections)) are in use; new connections will be refused.",
                firstSteps: "Check the service's pool size times its instance count; raise `postgreSQL.maxConnections` or lower the pool.",
                condition: .threshold(filter: filter("postgresql/num_backends"), aligner: "ALIGN_MAX", above: true, value: Double(postgreSQL.maxConnections) * 0.8),
                durationMinutes: 5, critical: false
            ),
            AlertDefinition(
                id: "database-locks", title: "Database deadlocks",
                meaning: "Transactions deadlocked in the last 5 minutes; PostgreSQL aborted some of them.",
                firstSteps: "Read the deadlock reports in the database's logs; make the transactions take locks in one order.",
                condition: .threshold(filter: filter("postgresql/deadlock_count"), aligner: "ALIGN_SUM", above: true, value: 0), durationMinutes: 5, critical: false
            ),
        ]
    }

    private static func redisAlerts(_ context: StackContext) -> [AlertDefinition] {
        let filter = #"resource.type = "redis_instance" AND resource.labels.instance_id = "projects/${local.project_id}/locations/\#(context.region)/instances/\#(context.service)" AND metric.type = "redis.googleapis.com/stats/memory/usage_ratio""#
        return [AlertDefinition(
            id: "redis-memory", title: "Redis memory nearly full",
            meaning: "Redis has used over 90% of its memory for 10 minutes; it will start evicting keys.",
            firstSteps: "Check for keys without expiry; raise `redis.memoryGB`.",
            condition: .threshold(filter: filter, aligner: "ALIGN_MAX", above: true, value: 0.9), durationMinutes: 10, critical: false
        )]
    }

    private static func specAlerts(_ context: StackContext) -> [AlertDefinition] {
        let selector = #"monitored_resource="cloud_run_revision",service_name="\#(context.service)""#
        let ratios = context.spec.monitoring.responseCodeRatios.map { alert in
            let code = alert.code.hasSuffix("xx") ? #"response_code_class="\#(alert.code)""# : #"response_code="\#(alert.code)""#
            let window = "[\(alert.durationMinutes)m]"
            let query = "sum(rate(run_googleapis_com:request_count{\(selector),\(code)}\(window))) / sum(rate(run_googleapis_com:request_count{\(selector)}\(window))) > \(alert.ratio)"
            return AlertDefinition(
                id: alert.id, title: "\(alert.code) responses above \(percent(alert.ratio))",
                meaning: alert.description ?? "More than \(percent(alert.ratio)) of responses had status \(alert.code) for \(alert.durationMinutes) minutes.",
                firstSteps: "Find the failing routes in the logs (`wharf msp logs`); roll back if the latest release started it.",
                condition: .promQL(query), durationMinutes: alert.durationMinutes, critical: alert.code.hasPrefix("5")
            )
        }
        let custom = context.spec.monitoring.customAlerts.map { alert in
            AlertDefinition(
                id: alert.id, title: "\(alert.id) \(alert.comparison.rawValue) \(alert.threshold.formatted)",
                meaning: alert.description ?? "`\(alert.query)` was \(alert.comparison.rawValue) \(alert.threshold.formatted) for \(alert.durationMinutes) minutes.",
                firstSteps: "Run the query in Metrics Explorer to see which series crossed the threshold.",
                condition: .promQL("(\(alert.query)) \(alert.comparison == .above ? ">" : "<") \(alert.threshold.formatted)"),
                durationMinutes: alert.durationMinutes, critical: false
            )
        }
        return ratios + custom
    }

    static func percent(_ ratio: Double) -> String {
        let value = ratio * 100
        return value.rounded() == value ? "\(Int(value))%" : "\(value)%"
    }
}

extension Double {
    /// `100` rather than `100.0`; fractions as they are.
    var formatted: String { rounded() == self && abs(self) < 1e15 ? String(Int64(self)) : "\(self)" }
}

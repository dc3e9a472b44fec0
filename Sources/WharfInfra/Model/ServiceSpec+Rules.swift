/// The rules across fields, checked after every field was read (SPEC §8).
extension ServiceSpec {
    /// Set by the platform: the runtime contract and the addresses of the environment's resources.
    static let reservedEnv: Set<String> = [
        "PORT", "HOST", "DIAGNOSTICS_SECRET", "ENVIRONMENT_ID", "DATABASE_URL", "PGHOST", "PGUSER", "PGDATABASE", "PGSSLMODE",
        "REDIS_URL", "REDIS_AUTH", "REDIS_CA_CERT", "BIGQUERY_PROJECT", "BIGQUERY_DATASET",
    ]
    /// Secret Manager secrets the platform creates in every environment.
    static let reservedSecrets: Set<String> = ["diagnostics", "redis-auth"]

    func check(_ reading: SpecReading) {
        var seen: [String: Int] = [:]
        for (index, environment) in environments.enumerated() {
            let path = "environments[\(index)]"
            if let first = seen[environment.id] {
                reading.problem("\(path).id", "the environment id '\(environment.id)' is used twice; environments[\(first)] has it too")
            } else {
                seen[environment.id] = index
            }
            environment.check(at: path, kind: service.kind, reading)
            let projectID = "\(service.id)-\(environment.id)"
            if projectID.count < 6 {
                reading.problem("\(path).id", "the project id '\(projectID)' (<service>-<environment>) is shorter than GCP's 6 characters; use a longer environment id")
            }
        }
        if let rollout {
            var staged: Set<String> = []
            for (index, stage) in rollout.stages.enumerated() {
                let path = "rollout.stages[\(index)].environment"
                if seen[stage.environment] == nil {
                    reading.problem(path, "no environment has the id '\(stage.environment)'\(Suggestion.phrase(for: stage.environment, among: environments.map(\.id)))")
                } else if !staged.insert(stage.environment).inserted {
                    reading.problem(path, "'\(stage.environment)' is a stage twice")
                }
            }
        }
        var alertIDs: Set<String> = []
        let alerts = monitoring.responseCodeRatios.enumerated().map { ("monitoring.responseCodeRatios[\($0.offset)].id", $0.element.id) }
            + monitoring.customAlerts.enumerated().map { ("monitoring.customAlerts[\($0.offset)].id", $0.element.id) }
        for (path, id) in alerts where !alertIDs.insert(id).inserted {
            reading.problem(path, "the alert id '\(id)' is used twice")
        }
    }
}

extension ServiceEnvironment {
    func check(at path: String, kind: ServiceKind, _ reading: SpecReading) {
        if category == .external, domain == nil, kind == .service {
            reading.problem(path, "an external environment needs a domain: it is served only through the CDN")
        }
        if category == .external, allowDestroys {
            reading.problem("\(path).allowDestroys", "an external environment keeps deletion protection: customers' data lives there; turn it off in a test environment instead")
        }
        if kind == .job, domain != nil {
            reading.problem("\(path).domain", "a job serves no requests, so it has no domain")
        }
        if !Instances.cpuCounts.contains(instances.cpu) {
            reading.problem("\(path).instances.cpu", "\(instances.cpu) CPUs is not offered; use 1, 2, 4, 6 or 8")
        } else {
            let most = instances.cpu * 4 * 1024
            if instances.memory > most {
                let needed = Instances.cpuCounts.first { $0 * 4 * 1024 >= instances.memory }.map { "; use cpu: \($0) or more" } ?? ""
                reading.problem("\(path).instances.memory", "\(MemorySize.text(instances.memory)) is too much memory for \(instances.cpu) CPU: at most \(MemorySize.text(most))\(needed)")
            }
            let least = instances.cpu >= 6 ? 4 * 1024 : instances.cpu >= 4 ? 2 * 1024 : 512
            if instances.memory < least {
                reading.problem("\(path).instances.memory", "\(instances.cpu) CPUs need at least \(MemorySize.text(least)) of memory")
            }
        }
        if instances.scaling.minCount > instances.scaling.maxCount {
            reading.problem("\(path).instances.scaling.minCount", "minCount \(instances.scaling.minCount) is more than maxCount \(instances.scaling.maxCount)")
        }
        for name in env.keys.sorted() where ServiceSpec.reservedEnv.contains(name) {
            reading.problem("\(path).env.\(name)", "\(name) is set by the platform (the runtime contract); remove it")
        }
        for name in Set(env.keys).intersection(secretEnv.keys).sorted() {
            reading.problem("\(path).secretEnv.\(name)", "\(name) is in env as well; a variable comes from one or the other")
        }
        for (name, secret) in secretEnv.sorted(by: { $0.key < $1.key }) where ServiceSpec.reservedSecrets.contains(secret) {
            reading.problem("\(path).secretEnv.\(name)", "the secret '\(secret)' is the platform's own; name another")
        }
        if let database = resources.postgreSQL {
            reportDuplicates(database.databases, at: "\(path).resources.postgreSQL.databases", reading)
            if !PostgreSQLResource.cpuCounts.contains(database.cpu) {
                reading.problem("\(path).resources.postgreSQL.cpu", "\(database.cpu) vCPUs is not offered; use 1, 2, 4, 8, 16 or 32")
            } else if Double(database.memoryGB) < 0.9 * Double(database.cpu) || Double(database.memoryGB) > 6.5 * Double(database.cpu) {
                let low = Int((0.9 * Double(database.cpu)).rounded(.up)), high = Int(6.5 * Double(database.cpu))
                reading.problem("\(path).resources.postgreSQL.memoryGB", "\(database.memoryGB) GB does not fit \(database.cpu) vCPU; use \(low) to \(high) GB")
            }
        }
        if let dataset = resources.bigQueryDataset {
            reportDuplicates(dataset.tables.map { $0.lowercased() }, at: "\(path).resources.bigQueryDataset.tables", reading)
        }
        switch (kind, schedule) {
        case (.job, nil):
            reading.problem(path, "a job needs a schedule with a cron expression")
        case (.service, .some):
            reading.problem("\(path).schedule", "only jobs have a schedule; this service's kind is service")
        case (.job, .some(let schedule)):
            switch CronSchedule.parse(schedule.cron) {
            case .failure(let error):
                reading.problem("\(path).schedule.cron", error.message)
            case .success(let cron) where cron.shortestIntervalMinutes < 15:
                reading.problem("\(path).schedule.cron", "'\(schedule.cron)' runs every \(cron.shortestIntervalMinutes) minutes; jobs run at most every 15 minutes")
            case .success:
                break
            }
        case (.service, nil):
            break
        }
    }

    private func reportDuplicates(_ names: [String], at path: String, _ reading: SpecReading) {
        var seen: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            if let first = seen.updateValue(index, forKey: name) {
                reading.problem("\(path)[\(index)]", "'\(name)' is listed twice; [\(first)] has it too")
            }
        }
    }
}

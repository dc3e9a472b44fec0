/// Random valid service specs, as YAML text, for property tests and the generation benchmark. They go
/// through the real reader, so a spec this makes that the reader refuses is a failure of one or the other.
public enum RandomServiceSpec {
    static let environmentIDs = ["dev", "test", "staging", "prod", "eu", "us", "canary"]
    static let categories = ["test", "internal", "external"]
    static let regions = ["us-central1", "europe-west1", "asia-east1", "us-east1"]

    /// A spec with `environments` environments, or one to three when nil.
    public static func yaml(id: String, environments count: Int? = nil, using random: inout SplitMix) -> String {
        let job = Int.random(in: 0..<5, using: &random) == 0
        var lines = [
            "service:", "  id: \(id)", "  name: Service \(id)", "  owners: [team-\(Int.random(in: 1...9, using: &random))]",
            "  kind: \(job ? "job" : "service")",
            "build:", "  image: us-docker.pkg.dev/acme/images/\(id)",
            "environments:",
        ]
        let environments = environmentIDs.shuffled(using: &random).prefix(count ?? Int.random(in: 1...3, using: &random))
        for (index, environment) in environments.enumerated() {
            // The last environment is external, so most specs exercise the strictest policy.
            let category = index == environments.count - 1 && !job ? "external" : categories.randomElement(using: &random)!
            lines += ["  - id: \(environment)", "    category: \(category)", "    region: \(regions.randomElement(using: &random)!)"]
            if !job, category == "external" || Bool.random(using: &random) { lines.append("    domain: \(id)-\(environment).example.com") }
            let cpu = [1, 2, 4, 6, 8].randomElement(using: &random)!
            let least = cpu >= 6 ? 4 : cpu >= 4 ? 2 : 1
            lines += ["    instances:", "      cpu: \(cpu)", "      memory: \(Int.random(in: least...cpu * 4, using: &random))Gi"]
            let minCount = Int.random(in: 0...2, using: &random)
            lines.append("      scaling: {minCount: \(minCount), maxCount: \(minCount + Int.random(in: 1...20, using: &random)), concurrency: \(Int.random(in: 1...200, using: &random))}")
            if Bool.random(using: &random) { lines.append("    authentication: {employeesOnly: true}") }
            lines += ["    env:", "      FEATURE_FLAGS: \"a,b\"", "      GREETING: \"hello ${name} %{x}\""]
            if Bool.random(using: &random) { lines += ["    secretEnv:", "      API_KEY: api-key", "      OTHER_KEY: api_key"] }
            lines.append("    allowDestroys: \(category != "external" && Bool.random(using: &random))")
            if job { lines += ["    schedule:", "      cron: \"\(Int.random(in: 0...59, using: &random)) */\(Int.random(in: 1...6, using: &random)) * * *\""] }
            var resources: [String] = []
            if Bool.random(using: &random) {
                let cpu = [1, 2, 4, 8].randomElement(using: &random)!
                let memory = Int.random(in: max(1, (cpu * 9 + 9) / 10)...cpu * 13 / 2, using: &random)
                resources.append("      postgreSQL: {databases: [main, events], cpu: \(cpu), memoryGB: \(memory), highAvailability: \(Bool.random(using: &random))}")
            }
            if Bool.random(using: &random) { resources.append("      redis: {memoryGB: \(Int.random(in: 1...8, using: &random)), highAvailability: \(Bool.random(using: &random))}") }
            if Bool.random(using: &random) { resources.append("      bigQueryDataset: {tables: [events, Daily_Totals]}") }
            if !resources.isEmpty { lines += ["    resources:"] + resources }
        }
        if !job, Bool.random(using: &random) {
            lines += [
                "monitoring:", "  responseCodeRatios:", "    - {id: errors, code: 5xx, ratio: 0.05}", "    - {id: missing, code: \"404\", ratio: 0.25, durationMinutes: 10}",
                "  customAlerts:", "    - {id: queue, query: \"max(queue_depth{job=\\\"x\\\"})\", threshold: 10.5, comparison: below}",
            ]
        }
        lines += ["rollout:", "  stages:"] + environments.map { "    - environment: \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Stateful resources of one environment.
public struct Resources: Sendable, Equatable, SpecReadable {
    public var postgreSQL: PostgreSQLResource?
    public var redis: RedisResource?
    public var bigQueryDataset: BigQueryDataset?

    static func read(_ o: SpecObject) -> Resources? {
        Resources(
            postgreSQL: o.optional("postgreSQL", .object, "A Cloud SQL PostgreSQL instance: private IP, TLS, IAM authentication, point-in-time recovery."),
            redis: o.optional("redis", .object, "A Memorystore Redis instance with AUTH and TLS."),
            bigQueryDataset: o.optional("bigQueryDataset", .object, "A BigQuery dataset for analytics.")
        )
    }
}

public struct PostgreSQLResource: Sendable, Equatable, SpecReadable {
    /// Cloud SQL's vCPU counts for custom machines.
    public static let cpuCounts = [1, 2, 4, 8, 16, 32]
    public var databases: [String]
    public var cpu = 1
    public var memoryGB = 4
    public var maxConnections = 100
    public var highAvailability = false

    static func read(_ o: SpecObject) -> PostgreSQLResource? {
        let databases = o.required("databases", .list(.string(pattern: "[a-z][a-z0-9_]*", maxLength: 63, example: "accounts"), minimum: 1), "Databases to create.")
        let cpu = o.optional("cpu", .integer(1...32), default: 1, "vCPUs: 1, 2, 4, 8, 16 or 32.")
        let memoryGB = o.optional("memoryGB", .integer(1...208), default: 4, "Memory in GB: from 0.9 to 6.5 per vCPU.")
        let maxConnections = o.optional("maxConnections", .integer(25...10_000), default: 100, "The server's max_connections.")
        let highAvailability = o.optional("highAvailability", .boolean, default: false, "A standby in a second zone.")
        return databases.map { PostgreSQLResource(databases: $0, cpu: cpu, memoryGB: memoryGB, maxConnections: maxConnections, highAvailability: highAvailability) }
    }
}

public struct RedisResource: Sendable, Equatable, SpecReadable {
    public var memoryGB = 1
    public var highAvailability = false

    static func read(_ o: SpecObject) -> RedisResource? {
        RedisResource(
            memoryGB: o.optional("memoryGB", .integer(1...300), default: 1, "Memory in GB."),
            highAvailability: o.optional("highAvailability", .boolean, default: false, "Standard tier with a replica, instead of basic.")
        )
    }
}

public struct BigQueryDataset: Sendable, Equatable, SpecReadable {
    public var tables: [String]

    static func read(_ o: SpecObject) -> BigQueryDataset? {
        o.required("tables", .list(.string(pattern: "[A-Za-z_][A-Za-z0-9_]*", maxLength: 1024, example: "events"), minimum: 1), "Tables the service writes.")
            .map(BigQueryDataset.init)
    }
}

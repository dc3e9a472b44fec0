import WharfCore

/// The environment `wharf msp up` gives a service on a developer's machine: the same runtime contract as in
/// its cloud environment (SPEC §9), with local stand-ins for the resources the spec asks for.
public struct LocalContract: Sendable, Equatable {
    public var port: Int
    public var diagnosticsSecret: String
    /// The local PostgreSQL server, as `postgres://user@host:port` without a database.
    public var postgresServer: String?
    public var redisURL: String?
    public var redisPassword: String?
    /// Values for `secretEnv`, by variable name.
    public var secrets: [String: String]

    public init(port: Int, diagnosticsSecret: String, postgresServer: String? = nil, redisURL: String? = nil, redisPassword: String? = nil, secrets: [String: String] = [:]) {
        self.port = port
        self.diagnosticsSecret = diagnosticsSecret
        self.postgresServer = postgresServer
        self.redisURL = redisURL
        self.redisPassword = redisPassword
        self.secrets = secrets
    }

    /// The variables for `environment` of `spec`, or an error naming every secret without a local value.
    public func variables(for spec: ServiceSpec, environment: ServiceEnvironment) throws(WharfError) -> [String: String] {
        var variables = environment.env
        variables["PORT"] = "\(port)"
        variables["HOST"] = "127.0.0.1"
        variables["ENVIRONMENT_ID"] = "\(spec.service.id)-\(environment.id)"
        variables["DIAGNOSTICS_SECRET"] = diagnosticsSecret
        variables["LOG_FORMAT"] = variables["LOG_FORMAT"] ?? "text"
        let missing = environment.secretEnv.keys.filter { secrets[$0] == nil }.sorted()
        guard missing.isEmpty else {
            let list = missing.map { "\($0) (secret \(environment.secretEnv[$0]!))" }.joined(separator: ", ")
            throw WharfError(.configuration, "no local value for \(list): export \(missing[0])=… or pass --secret \(missing[0])=…")
        }
        for name in environment.secretEnv.keys { variables[name] = secrets[name] }
        if let database = environment.resources.postgreSQL, let postgresServer {
            variables["DATABASE_URL"] = "\(postgresServer)/\(database.databases[0])?sslmode=disable"
            variables["PGDATABASE"] = database.databases[0]
        }
        if environment.resources.redis != nil, let redisURL {
            variables["REDIS_URL"] = redisURL
            variables["REDIS_AUTH"] = redisPassword
        }
        return variables
    }
}

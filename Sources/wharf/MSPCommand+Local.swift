import ArgumentParser
import Foundation
import WharfCore
import WharfInfra

extension MSPCommand {
    /// Where the local commands find a service's spec: the given file, or the YAML file in the current
    /// directory whose service id matches.
    struct ServiceTarget: ParsableArguments {
        @Argument(help: "The service id.") var service: String
        @Argument(help: "The environment id.") var environment: String
        @Option(help: "The service's spec; by default the *.yaml file here with that service id.") var spec: String?

        func load() throws -> (ServiceSpec, ServiceEnvironment) {
            let candidates = spec.map { [$0] } ?? ((try? FileManager.default.contentsOfDirectory(atPath: ".")) ?? [])
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            for file in candidates {
                guard let text = try? Validate.read(file), text.contains(service) else { continue }
                let loaded: ServiceSpec
                do {
                    loaded = try ServiceSpec.load(yaml: text, file: file)
                } catch {
                    if spec != nil { for problem in error.problems { print(problem) }; throw ExitCode(3) }
                    continue
                }
                guard loaded.service.id == service else { continue }
                guard let match = loaded.environments.first(where: { $0.id == environment }) else {
                    throw WharfError(.notFound, "\(file) has no environment '\(environment)'; it has \(loaded.environments.map(\.id).joined(separator: ", "))")
                }
                return (loaded, match)
            }
            throw WharfError(.notFound, spec.map { "\($0) is not the spec of '\(service)'" } ?? "no valid *.yaml spec here has the service id '\(service)'; pass --spec FILE")
        }
    }

    struct Up: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a service locally with the runtime contract of one of its environments.",
            discussion: """
                Runs COMMAND with PORT, HOST, ENVIRONMENT_ID, a fresh DIAGNOSTICS_SECRET, the environment's env, its \\
                secretEnv from your environment (or --secret), and a local PostgreSQL database (DATABASE_URL) or Redis \\
                (REDIS_URL) when the spec asks for them; the database keeps its data between runs. Output goes to the \\
                terminal and to a log `wharf msp logs` follows. Ctrl-C stops the service and the servers it started.
                """
        )
        @OptionGroup var target: ServiceTarget
        @Option(help: "The port to serve on.") var port = 9992
        @Option(name: .customLong("secret"), help: "A secretEnv value, NAME=VALUE; repeatable.") var secrets: [String] = []
        @Argument(parsing: .postTerminator, help: "The command that runs the service, after --.") var command: [String] = []

        func run() throws {
            try CommandFailure.exitOnError {
                guard !command.isEmpty else { throw ValidationError("give the command that runs the service after --, e.g. wharf msp up accounts dev -- .build/debug/accounts") }
                let (spec, environment) = try target.load()
                let directory = LocalRun.directory(service: spec.service.id, environment: environment.id)
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                var contract = LocalContract(port: port, diagnosticsSecret: TokenSecret.generate(), secrets: try secretValues(for: environment))
                _ = try contract.variables(for: spec, environment: environment)  // every secret has a value before anything starts

                var postgres: LocalPostgres?
                defer { postgres?.stop() }
                if let database = environment.resources.postgreSQL {
                    let server = LocalPostgres(directory: directory.appending(path: "postgres"), port: try LoopbackPort.free())
                    postgres = server
                    try server.start(databases: database.databases)
                    contract.postgresServer = server.url
                }
                var redis: LocalRedis?
                defer { redis?.stop() }
                if environment.resources.redis != nil {
                    let server = LocalRedis(directory: directory.appending(path: "redis"), port: try LoopbackPort.free(), password: TokenSecret.generate())
                    redis = server
                    try server.start()
                    contract.redisURL = server.url
                    contract.redisPassword = server.password
                }
                let logFile = directory.appending(path: "service.log")
                let variables = try contract.variables(for: spec, environment: environment)
                let status = try ServiceProcess.run(command, environment: variables, logFile: logFile) { pid in
                    let run = LocalRun(pid: pid, port: port, postgres: postgres?.url, databases: environment.resources.postgreSQL?.databases ?? [], logFile: logFile.path)
                    try? JSONEncoder().encode(run).write(to: LocalRun.file(service: spec.service.id, environment: environment.id))
                    // Written at once (not through print's buffer), so it shows before the service's own output.
                    var banner = "\(spec.service.id) (\(environment.id)) on http://127.0.0.1:\(port); health: curl -H 'Authorization: Bearer \(contract.diagnosticsSecret)' http://127.0.0.1:\(port)/-/healthz\n"
                    if let postgres { banner += "database: \(postgres.url)/\(environment.resources.postgreSQL!.databases[0]) (wharf msp db connect \(spec.service.id) \(environment.id) --exec)\n" }
                    if let redis { banner += "redis: \(redis.url) (password in the service's REDIS_AUTH)\n" }
                    FileHandle.standardOutput.write(Data(banner.utf8))
                }
                try? FileManager.default.removeItem(at: LocalRun.file(service: spec.service.id, environment: environment.id))
                if status != 0 { throw ExitCode(status) }
            }
        }

        private func secretValues(for environment: ServiceEnvironment) throws -> [String: String] {
            var values: [String: String] = [:]
            let inherited = ProcessInfo.processInfo.environment
            for name in environment.secretEnv.keys { values[name] = inherited[name] }
            for pair in secrets {
                guard let equals = pair.firstIndex(of: "="), environment.secretEnv[String(pair[..<equals])] != nil else {
                    throw ValidationError("--secret \(pair): give NAME=VALUE for a variable in the environment's secretEnv (\(environment.secretEnv.keys.sorted().joined(separator: ", ")))")
                }
                values[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
            }
            return values
        }
    }
}

import ArgumentParser
import Foundation
import WharfCore
import WharfInfra

#if canImport(Glibc)
import Glibc
#endif

extension MSPCommand {
    struct Logs: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Follow a service's logs: the local run's when `wharf msp up` runs it, else Cloud Logging's.",
            discussion: "For a cloud environment the gcloud command is printed; --exec runs it."
        )
        @OptionGroup var target: ServiceTarget
        @Flag(help: "Run the printed command.") var exec = false

        func run() throws {
            try CommandFailure.exitOnError {
                let (spec, environment) = try target.load()
                if let local = LocalRun.current(service: spec.service.id, environment: environment.id) {
                    try replaceProcess(with: ["tail", "-n", "200", "-F", local.logFile])
                }
                let project = "\(spec.service.id)-\(environment.id)"
                let filter = spec.service.kind == .job
                    ? #"resource.type="cloud_run_job" AND resource.labels.job_name="\#(spec.service.id)""#
                    : #"resource.type="cloud_run_revision" AND resource.labels.service_name="\#(spec.service.id)""#
                let command = ["gcloud", "beta", "logging", "tail", filter, "--project", project, "--format", "value(timestamp,severity,textPayload,jsonPayload.message)"]
                guard exec else {
                    print(LocalTools.shellQuoted(command))
                    print("# or in the console: https://console.cloud.google.com/logs/query?project=\(project)")
                    return
                }
                try replaceProcess(with: command)
            }
        }
    }

    struct Database: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "db", abstract: "Work with a service's database.", subcommands: [Connect.self])

        struct Connect: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Print (or with --exec run) psql on a service's database.",
                discussion: """
                    When `wharf msp up` runs the service, connects to its local database. Otherwise to Cloud SQL through \\
                    the Cloud SQL Auth Proxy with IAM login as your gcloud account, over the private IP (from inside \\
                    the VPC or a VPN into it).
                    """
            )
            @OptionGroup var target: ServiceTarget
            @Option(help: "Which of the spec's databases; the first by default.") var database: String?
            @Flag(help: "Run psql instead of printing the commands.") var exec = false

            func run() throws {
                try CommandFailure.exitOnError {
                    let (spec, environment) = try target.load()
                    guard let postgreSQL = environment.resources.postgreSQL else {
                        throw WharfError(.notFound, "environment '\(environment.id)' of \(spec.service.id) has no postgreSQL in its resources")
                    }
                    let name = database ?? postgreSQL.databases[0]
                    guard postgreSQL.databases.contains(name) else {
                        throw WharfError(.notFound, "no database '\(name)'; the spec has \(postgreSQL.databases.joined(separator: ", "))")
                    }
                    if let local = LocalRun.current(service: spec.service.id, environment: environment.id), let server = local.postgres {
                        let command = ["psql", "\(server)/\(name)?sslmode=disable"]
                        if exec { try replaceProcess(with: command) }
                        print(LocalTools.shellQuoted(command))
                        return
                    }
                    let instance = "\(spec.service.id)-\(environment.id):\(environment.region.rawValue):\(spec.service.id)"
                    let proxy = ["cloud-sql-proxy", "--auto-iam-authn", "--private-ip", "--port", "15432", instance]
                    let psql = #"psql "host=127.0.0.1 port=15432 dbname=\#(name) user=$(gcloud config get-value account) sslmode=disable""#
                    guard exec else {
                        print("\(LocalTools.shellQuoted(proxy)) &")
                        print(psql)
                        return
                    }
                    guard LocalTools.which("cloud-sql-proxy") != nil, LocalTools.which("psql") != nil, LocalTools.which("gcloud") != nil else {
                        throw WharfError(.configuration, "--exec needs cloud-sql-proxy, psql and gcloud on PATH; run the printed commands instead (wharf msp db connect without --exec)")
                    }
                    try replaceProcess(with: ["sh", "-c", "\(LocalTools.shellQuoted(proxy)) & proxy=$!; trap 'kill $proxy' EXIT; sleep 2; \(psql)"])
                }
            }
        }
    }
}

/// Replaces this process with `command` (found on PATH), the way a shell runs its last command: the
/// terminal and signals go straight to it.
func replaceProcess(with command: [String]) throws -> Never {
    guard let path = command[0].contains("/") ? command[0] : LocalTools.which(command[0]) else {
        throw WharfError(.configuration, "\(command[0]) is not installed (not on PATH)")
    }
    let arguments = command.map { strdup($0) } + [nil]
    execv(path, arguments)
    throw WharfError(.internalError, "could not run \(path): \(String(cString: strerror(errno)))")
}

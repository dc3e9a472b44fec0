import ArgumentParser
import Foundation
import WharfClient
import WharfCore

struct RequestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request", abstract: "Ask for changes to instances, decide on them, and follow their SLA clocks.",
        subcommands: [List.self, Show.self, Submit.self, Approve.self, Reject.self, Cancel.self, Fail.self, Extend.self, Report.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List requests, oldest first.")
        @OptionGroup var options: ClientOptions
        @Option var state: RequestState?
        @Flag(help: "Only open requests (submitted, approved, in progress).") var open = false
        @Option var kind: RequestKind?
        @Option(help: "Instance slug.") var instance: String?

        func run() async throws {
            try await CommandFailure.exitOnError {
                let requests = try await options.client.allRequests(RequestFilter(state: state, openOnly: open, kind: kind, instance: instance))
                try options.emit(requests) {
                    Table(
                        header: ["ID", "KIND", "INSTANCE", "STATE", "SUBMITTED", "DUE"],
                        rows: requests.map { [$0.id, $0.kind.rawValue, $0.instance, $0.state.rawValue, WharfJSON.timestamp($0.submittedAt), RequestCommand.due($0)] }
                    )
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one request and its history.")
        @OptionGroup var options: ClientOptions
        @Argument var id: String

        func run() async throws {
            try await CommandFailure.exitOnError {
                let request = try await options.client.request(id)
                try options.emit(request) { RequestCommand.table(request) }
            }
        }
    }

    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Submit a request.",
            discussion: """
                Kinds: \(RequestKind.allowedValues.joined(separator: ", ")).
                Self-service kinds are approved and applied at once; the others wait for an operator.
                create_instance and create_trial take the new instance as JSON: --instance-file new.json.
                """
        )
        @OptionGroup var options: ClientOptions
        @Argument var kind: RequestKind
        @Option(help: "The instance's slug.") var instance: String?
        @Option var reason: String?
        @Option(help: "The slug again, to confirm tear_down.") var confirm: String?
        @Option var plan: Plan?
        @Option(name: .customLong("cidr"), help: "A CIDR to add or remove; repeat for more.") var cidrs: [String] = []
        @Option var domain: String?
        @Option(name: .customLong("static-egress-ip"), help: "on or off") var staticEgressIP: Switch?
        @Option(name: .customLong("private-connectivity"), help: "on or off") var privateConnectivity: Switch?
        @Option(name: .customLong("licence-key-file"), help: "File holding the new licence key ('-' reads standard input).") var licenceKeyFile: String?
        @Option(name: .customLong("product-version"), help: "Target version, for upgrades.") var version: String?
        @Option(name: .customLong("released-at"), help: "RFC 3339 release time, for upgrades.") var releasedAt: String?
        @Option(name: .customLong("agreed-at"), help: "RFC 3339 agreed date; starts the resolution clock of suspend, tear_down and create_instance.") var agreedAt: String?
        @Option(name: .customLong("instance-file"), help: "JSON file with the new instance, for create_instance and create_trial.") var instanceFile: String?
        @Option(name: .customLong("idempotency-key"), help: "Makes a retried submission return the first result.") var idempotencyKey: String?

        func run() async throws {
            try await CommandFailure.exitOnError {
                var parameters = RequestParameters(
                    reason: reason, confirm: confirm, plan: plan, cidrs: cidrs.isEmpty ? nil : cidrs, domain: domain,
                    staticEgressIP: staticEgressIP?.isOn, privateConnectivity: privateConnectivity?.isOn, version: version
                )
                parameters.releasedAt = try releasedAt.map(InstanceCommand.parseDate)
                parameters.licenceKey = try licenceKeyFile.map(InstanceCommand.readSecret)
                parameters.instance = try instanceFile.map(RequestCommand.readDraft)
                let submission = RequestSubmission(kind: kind, instance: instance, parameters: parameters, agreedAt: try agreedAt.map(InstanceCommand.parseDate))
                let request = try await options.client.submitRequest(submission, idempotencyKey: idempotencyKey)
                try options.emit(request) { RequestCommand.table(request) }
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a request and apply it (operators and admins).")
        @OptionGroup var options: ClientOptions
        @Argument var id: String
        @Option var reason: String?

        func run() async throws { try await RequestCommand.decide(options, id, .approve, reason) }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a request, saying why (operators and admins).")
        @OptionGroup var options: ClientOptions
        @Argument var id: String
        @Option var reason: String

        func run() async throws { try await RequestCommand.decide(options, id, .reject, reason) }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a request before work on it starts.")
        @OptionGroup var options: ClientOptions
        @Argument var id: String
        @Option var reason: String?

        func run() async throws { try await RequestCommand.decide(options, id, .cancel, reason) }
    }

    struct Fail: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark an in-progress request failed, saying why (operators and admins).")
        @OptionGroup var options: ClientOptions
        @Argument var id: String
        @Option var reason: String

        func run() async throws { try await RequestCommand.decide(options, id, .fail, reason) }
    }

    struct Extend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move a request's resolution deadline on, saying why (operators and admins).")
        @OptionGroup var options: ClientOptions
        @Argument var id: String
        @Option(name: .customLong("by"), help: "How long: 2wd (working days), 48h, 3d or 1w.") var duration: SLADuration
        @Option var reason: String

        func run() async throws {
            try await CommandFailure.exitOnError {
                let request = try await options.client.extendRequest(id, SLAExtensionDraft(duration: duration, reason: reason))
                try options.emit(request) { RequestCommand.table(request) }
            }
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The fleet SLA report: open requests with time left, met and breached per kind.")
        @OptionGroup var options: ClientOptions
        @Option(help: "RFC 3339 start of the period (default: 30 days before --to).") var from: String?
        @Option(help: "RFC 3339 end of the period (default: now).") var to: String?

        func run() async throws {
            try await CommandFailure.exitOnError {
                let report = try await options.client.slaReport(from: try from.map(InstanceCommand.parseDate), to: try to.map(InstanceCommand.parseDate))
                try options.emit(report) { RequestCommand.table(report) }
            }
        }
    }

    static func decide(_ options: ClientOptions, _ id: String, _ event: RequestEvent, _ reason: String?) async throws {
        try await CommandFailure.exitOnError {
            let request = try await options.client.decideRequest(id, event, reason: reason)
            try options.emit(request) { table(request) }
        }
    }

    static func readDraft(_ path: String) throws -> InstanceDraft {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
        do {
            return try WharfJSON.decoder().decode(InstanceDraft.self, from: data)
        } catch {
            throw ValidationError("\(path) is not an instance draft: \(error)")
        }
    }

    static func due(_ request: LifecycleRequest) -> String {
        (request.respondedAt == nil ? request.responseDue : nil).map { "respond by \(WharfJSON.timestamp($0))" }
            ?? request.resolutionDue.map { "resolve by \(WharfJSON.timestamp($0))" } ?? "-"
    }

    static func table(_ request: LifecycleRequest) -> Table {
        var rows: [(String, String)] = [
            ("id", request.id), ("kind", request.kind.rawValue), ("instance", request.instance), ("state", request.state.rawValue),
            ("mode", request.mode.rawValue), ("submitted", "\(WharfJSON.timestamp(request.submittedAt)) by \(request.submittedBy)"),
            ("response due", request.responseDue.map(WharfJSON.timestamp) ?? "-"), ("resolution due", request.resolutionDue.map(WharfJSON.timestamp) ?? "-"),
        ]
        if let link = request.passwordReset {
            rows.append(("password reset link", "\(link.url) (for \(link.email), until \(WharfJSON.timestamp(link.expiresAt)); shown only now)"))
        }
        for step in request.transitions {
            rows.append(("history", "\(WharfJSON.timestamp(step.at)) \(step.state.rawValue) by \(step.actor)\(step.reason.map { ": \($0)" } ?? "")"))
        }
        for extension_ in request.extensions {
            rows.append(("extended", "\(extension_.duration.compact) by \(extension_.actor): \(extension_.reason)"))
        }
        return .record(rows)
    }

    static func table(_ report: SLAReport) -> Table {
        var rows = report.open.map { open in
            [
                "open", open.id, open.kind.rawValue, open.instance, open.clock?.rawValue ?? "-",
                open.secondsLeft.map { RequestCommand.hours($0) } ?? "-", open.breached ? "BREACHED" : (open.nearBreach ? "near breach" : ""),
            ]
        }
        rows += report.kinds.map { kind in
            [
                "kind", "", kind.kind.rawValue, "", "response \(kind.response.met) met/\(kind.response.breached) breached",
                "resolution \(kind.resolution.met) met/\(kind.resolution.breached) breached",
                kind.medianSecondsToResolution.map { "median \(RequestCommand.hours($0))" } ?? "",
            ]
        }
        return Table(header: ["", "ID", "KIND", "INSTANCE", "CLOCK", "LEFT", "STATUS"], rows: rows)
    }

    static func hours(_ seconds: Int) -> String { String(format: "%.1f h", Double(seconds) / 3600) }
}

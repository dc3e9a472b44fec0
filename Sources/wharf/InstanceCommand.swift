import ArgumentParser
import Foundation
import WharfClient
import WharfCore

struct InstanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "instance", abstract: "List, show, create and change instances.",
        subcommands: [List.self, Show.self, Create.self, Update.self, Event.self, History.self, Check.self, Logs.self, VerifyDomain.self, GatewayTokenCommand.self, Terraform.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List instances (the whole fleet, page by page).")
        @OptionGroup var options: ClientOptions
        @Option var state: InstanceState?
        @Option var plan: Plan?
        @Option var channel: ReleaseChannel?
        @Option(help: "Customer id.") var customer: String?

        func run() async throws {
            try await CommandFailure.exitOnError {
                let filter = InstanceFilter(state: state, plan: plan, channel: channel, customerID: customer)
                let instances = try await options.client.allInstances(filter)
                try options.emit(instances) {
                    Table(
                        header: ["SLUG", "CUSTOMER", "STATE", "PLAN", "VERSION", "CHANNEL", "DOMAIN"],
                        rows: instances.map { [$0.slug, $0.customerName, $0.state.rawValue, $0.plan.rawValue, $0.productVersion, $0.channel.rawValue, $0.defaultDomain] }
                    )
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one instance.")
        @OptionGroup var options: ClientOptions
        @Argument var slug: String

        func run() async throws {
            try await CommandFailure.exitOnError {
                let instance = try await options.client.instance(slug)
                try options.emit(instance) { InstanceCommand.table(instance) }
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an instance (it starts as requested).")
        @OptionGroup var options: ClientOptions
        @Option var slug: String
        @Option(help: "Customer id.") var customer: String
        @Option var plan: Plan
        @Option(name: .customLong("product-version"), help: "Product version, e.g. 5.2.0.") var productVersion: String
        @Option(name: .customLong("admin-email")) var adminEmail: String
        @Option var environment: DeploymentEnvironment?
        @Option var type: InstanceType?
        @Option var channel: ReleaseChannel?
        @Option var executors: Int?
        @Option(name: .customLong("allow"), help: "An ingress CIDR; repeat for more.") var allow: [String] = []
        @Option(name: .customLong("domain"), help: "A custom domain; repeat for more.") var domains: [String] = []
        @Option(name: .customLong("trial-expires"), help: "RFC 3339 expiry, for trials.") var trialExpires: String?
        @Option(name: .customLong("licence-key-file"), help: "File holding the licence key ('-' reads standard input).") var licenceKeyFile: String?
        @Option(name: .customLong("idempotency-key"), help: "Makes a retried create return the first result.") var idempotencyKey: String?

        func run() async throws {
            try await CommandFailure.exitOnError {
                var draft = InstanceDraft(slug: slug, customerID: customer, plan: plan, productVersion: productVersion, adminEmail: adminEmail)
                draft.environment = environment
                draft.type = type
                draft.channel = channel
                draft.executors = executors
                draft.ingressAllowlist = allow.isEmpty ? nil : allow
                draft.customDomains = domains.isEmpty ? nil : domains
                draft.trialExpiresAt = try trialExpires.map(InstanceCommand.parseDate)
                draft.licenceKey = try licenceKeyFile.map(InstanceCommand.readSecret)
                let instance = try await options.client.createInstance(draft, idempotencyKey: idempotencyKey)
                try options.emit(instance) { InstanceCommand.table(instance) }
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change an instance's mutable fields.")
        @OptionGroup var options: ClientOptions
        @Argument var slug: String
        @Option var plan: Plan?
        @Option var type: InstanceType?
        @Option(name: .customLong("product-version")) var productVersion: String?
        @Option var channel: ReleaseChannel?
        @Option var executors: Int?
        @Option(name: .customLong("admin-email")) var adminEmail: String?
        @Option(name: .customLong("allow"), help: "Replaces the ingress allowlist; repeat for more CIDRs.") var allow: [String] = []
        @Flag(name: .customLong("clear-allowlist")) var clearAllowlist = false
        @Option(name: .customLong("domain"), help: "Replaces the custom domains; repeat for more.") var domains: [String] = []
        @Option(help: "on or off") var telemetry: Switch?
        @Option(name: .customLong("ai-gateway"), help: "on or off") var aiGateway: Switch?
        @Option(name: .customLong("private-connectivity"), help: "on or off") var privateConnectivity: Switch?
        @Option(name: .customLong("trial-expires")) var trialExpires: String?
        @Option(name: .customLong("licence-key-file"), help: "File holding the new licence key ('-' reads standard input).") var licenceKeyFile: String?
        @Option(
            name: .customLong("ai-limit"),
            help: "Override an AI gateway limit of the plan: chat.requests.day=500, chat.tokens.month=2000000, chat.concurrency=5, chat.models=claude-*,gpt-4.1; VALUE plan drops the override. Repeat for more."
        ) var aiLimits: [String] = []
        @Flag(name: .customLong("clear-ai-limits"), help: "Drop every AI gateway override: the plan's limits apply.") var clearAILimits = false

        func run() async throws {
            try await CommandFailure.exitOnError {
                var patch = InstancePatch(
                    type: type, plan: plan, productVersion: productVersion, channel: channel,
                    privateConnectivity: privateConnectivity?.isOn, telemetry: telemetry?.isOn, aiGatewayAccess: aiGateway?.isOn,
                    adminEmail: adminEmail, executors: executors
                )
                if clearAllowlist || !allow.isEmpty { patch.ingressAllowlist = allow }
                if !domains.isEmpty { patch.customDomains = domains }
                patch.trialExpiresAt = try trialExpires.map(InstanceCommand.parseDate)
                patch.licenceKey = try licenceKeyFile.map(InstanceCommand.readSecret)
                if clearAILimits || !aiLimits.isEmpty {
                    var limits = clearAILimits ? GatewayLimits() : try await options.client.instance(slug).aiGatewayLimits
                    for assignment in aiLimits {
                        do throws(FieldProblem) { try limits.assign(assignment) } catch { throw ValidationError("--ai-limit: \(error.message)") }
                    }
                    patch.aiGatewayLimits = limits
                }
                guard !patch.isEmpty else { throw ValidationError("nothing to change: give at least one option (see --help)") }
                let instance = try await options.client.updateInstance(slug, patch)
                try options.emit(instance) { InstanceCommand.table(instance) }
            }
        }
    }

    struct Event: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move an instance through its lifecycle.",
            discussion: "Events: \(LifecycleEvent.allowedValues.joined(separator: ", ")). tear_down needs --confirm <slug>; fail needs --reason."
        )
        @OptionGroup var options: ClientOptions
        @Argument var slug: String
        @Argument var event: LifecycleEvent
        @Option var reason: String?
        @Option(help: "The slug again, to confirm tear_down.") var confirm: String?

        func run() async throws {
            try await CommandFailure.exitOnError {
                let instance = try await options.client.applyEvent(slug, InstanceEventRequest(event: event, reason: reason, confirm: confirm))
                try options.emit(instance) { InstanceCommand.table(instance) }
            }
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an instance's change history.")
        @OptionGroup var options: ClientOptions
        @Argument var slug: String

        func run() async throws {
            try await CommandFailure.exitOnError {
                let entries = try await options.client.history(slug).items
                try options.emit(entries) { AuditCommand.table(entries) }
            }
        }
    }

    static func table(_ instance: Instance) -> Table {
        .record([
            ("slug", instance.slug), ("customer", "\(instance.customerName) (\(instance.customerID))"), ("state", instance.state.rawValue),
            ("failure", instance.failureReason ?? "-"), ("environment", instance.environment.rawValue), ("type", instance.type.rawValue),
            ("plan", instance.plan.rawValue), ("version", instance.productVersion), ("channel", instance.channel.rawValue),
            ("domain", instance.defaultDomain), ("custom domains", instance.customDomains.map { "\($0.domain) (\($0.verification.rawValue))" }.joined(separator: ", ")),
            ("ingress allowlist", instance.ingressAllowlist.joined(separator: ", ")), ("executors", "\(instance.executors)"),
            ("telemetry", instance.telemetry ? "on" : "off"), ("AI gateway", instance.aiGatewayAccess ? "on" : "off"),
            ("AI limits", aiLimitOverrides(instance.aiGatewayLimits)),
            ("licence key", instance.licenceKeyFingerprint ?? "-"), ("admin email", instance.adminEmail),
            ("maintenance", "\(instance.maintenanceWindow.day.rawValue) \(instance.maintenanceWindow.startHour):00 UTC, \(instance.maintenanceWindow.durationHours) h"),
            ("backups", "every \(instance.backupPolicy.intervalHours) h, kept \(instance.backupPolicy.retentionDays) days"),
            ("trial expires", instance.trialExpiresAt.map(WharfJSON.timestamp) ?? "-"),
            ("created", WharfJSON.timestamp(instance.createdAt)), ("updated", WharfJSON.timestamp(instance.updatedAt)),
        ] + pendingDomains(instance))
    }

    /// The instance's own AI gateway limits, as `--ai-limit` takes them; "plan" when it has none.
    static func aiLimitOverrides(_ limits: GatewayLimits) -> String {
        let settings = limits.features.sorted { $0.key.rawValue < $1.key.rawValue }.flatMap { feature, limits in
            var settings: [String] = []
            for (measure, windows) in [("requests", limits.requests), ("tokens", limits.tokens)] {
                for window in LimitWindow.allCases { if let count = windows?[window] { settings.append("\(feature.rawValue).\(measure).\(window.rawValue)=\(count)") } }
            }
            if let concurrency = limits.concurrency { settings.append("\(feature.rawValue).concurrency=\(concurrency)") }
            if let models = limits.models { settings.append("\(feature.rawValue).models=\(models.joined(separator: ","))") }
            return settings
        }
        return settings.isEmpty ? "plan" : settings.joined(separator: " ")
    }

    /// What to do for each unverified custom domain: the DNS record, or the local echo of its token.
    static func pendingDomains(_ instance: Instance) -> [(String, String)] {
        instance.customDomains.filter { $0.verification != .verified }.map {
            ("verify \($0.domain)", "TXT \($0.challengeName) \"\($0.challengeValue)\" (locally: wharf instance verify-domain \(instance.slug) \($0.domain) \($0.verificationToken))")
        }
    }

    static func parseDate(_ text: String) throws -> Date {
        guard let date = WharfJSON.parseTimestamp(text) else { throw ValidationError("'\(text)' is not an RFC 3339 timestamp like 2026-12-31T00:00:00Z") }
        return date
    }

    /// Reads a secret from a file or standard input, so it never sits in shell history or `ps`.
    static func readSecret(_ path: String) throws -> String {
        let data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: path)
        guard let data else { throw ValidationError("cannot read \(path)") }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

enum Switch: String, ExpressibleByArgument, CaseIterable {
    case on, off
    var isOn: Bool { self == .on }
}

import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import WharfCore
import WharfInfra

/// The production provider (SPEC §2): each instance is its own GCP project, made and changed by applying
/// the Terraform `WharfInfra` generates from the record. Starting applies with `running = true`, stopping
/// scales the cluster to zero and stops the database (`running = false`), destroying the data lifts
/// deletion protection and runs `terraform destroy`. The egress addresses Terraform reserved are reported
/// in the observation so the reconciler records them on the instance.
public actor GCPProvider: Provider {
    public nonisolated let capabilities = ProviderCapabilities(provider: "gcp", staticEgress: true, privateConnectivity: true)
    let configuration: GCPProviderConfiguration
    let runner: TerraformRunner
    let clock: @Sendable () -> Date
    /// Whether the product answers at a host; by default an HTTPS request to its health path through the CDN.
    let probe: @Sendable (String) async -> Bool

    /// Fails with everything the configuration lacks, so `wharf serve` stops before touching an instance.
    public init(
        _ configuration: GCPProviderConfiguration, clock: @escaping @Sendable () -> Date = Date.init,
        probe: @escaping @Sendable (String) async -> Bool = GCPProvider.probeHealth
    ) throws {
        let missing = configuration.missing()
        guard missing.isEmpty, let executable = Executable.find(configuration.terraform, searchPath: configuration.environment["PATH"]) else {
            throw WharfError(.configuration, "the gcp provider cannot run; it needs:\n" + missing.map { "  - \($0)" }.joined(separator: "\n"))
        }
        self.configuration = configuration
        self.runner = TerraformRunner(executable: executable, environment: configuration.environment)
        self.clock = clock
        self.probe = probe
    }

    func directory(_ slug: String) -> URL { URL(filePath: configuration.directory).appending(path: slug) }
    func stateFile(_ slug: String) -> URL { directory(slug).appending(path: "wharf-state.json") }
    /// Every Terraform command run for the instance and what it printed.
    public func logFile(_ slug: String) -> URL { directory(slug).appending(path: "terraform.log") }

    func state(_ slug: String) -> GCPInstanceState? {
        guard let data = FileManager.default.contents(atPath: stateFile(slug).path) else { return nil }
        return try? WharfJSON.decoder().decode(GCPInstanceState.self, from: data)
    }

    public func observe() async -> [String: ProviderObservation] {
        let slugs = (try? FileManager.default.contentsOfDirectory(atPath: configuration.directory)) ?? []
        var seen: [String: ProviderObservation] = [:]
        for slug in slugs where state(slug) != nil { seen[slug] = await observe(slug) }
        return seen
    }

    public func observe(_ slug: String) async -> ProviderObservation {
        guard let state = state(slug) else { return .absent }
        let healthy = state.running ? await probe(state.host) : false
        return ProviderObservation(
            observed: ObservedInstance(
                process: state.running ? .running : .stopped, healthy: healthy, productVersion: state.running ? state.launch?.productVersion : nil,
                telemetry: state.running ? state.launch?.telemetry : nil, licenceKeyFingerprint: state.running ? state.launch?.licenceKeyFingerprint : nil,
                staticEgress: state.staticEgress, privateConnectivity: state.privateConnectivity,
                startedAt: state.running ? state.appliedAt : nil, frontendRestarts: state.running ? state.launch?.frontendRestarts : nil
            ),
            launch: state.launch, hasData: true, endpoint: state.running ? "\(state.host):443" : nil,
            egressAddresses: state.staticEgress ? state.egressAddresses : nil
        )
    }

    public func apply(_ action: ProviderAction, desired: DesiredInstance) async throws(ProviderError) {
        do throws(TerraformError) {
            switch action {
            case .start, .restart:
                try await converge(desired, running: true)
            case .stop:
                try await converge(desired, running: false)
            case .destroyData:
                try await destroy(desired)
            }
        } catch {
            // A failed plan or apply is usually a quota, a permission or a transient API error: try again.
            throw ProviderError(action, error.description, retryable: true)
        }
    }

    /// Writes the instance's module and variables, applies them, and records what came out.
    func converge(_ desired: DesiredInstance, running: Bool, deletionProtection: Bool = true) async throws(TerraformError) {
        let instance = desired.instance
        try write(instance, variables: ["running": .bool(running), "deletion_protection": .bool(deletionProtection)])
        try await runner.apply(in: directory(instance.slug), backend: backend, log: logFile(instance.slug))
        let outputs = try await runner.outputs(in: directory(instance.slug), log: logFile(instance.slug))
        var addresses: [String] = []
        if case .array(let values)? = outputs["egress_addresses"] {
            addresses = values.compactMap { if case .string(let address) = $0 { address } else { nil } }
        }
        let state = GCPInstanceState(
            running: running, launch: running ? desired.launch : nil, host: instance.defaultDomain, egressAddresses: addresses,
            staticEgress: instance.staticEgress, privateConnectivity: instance.privateConnectivity, appliedAt: clock()
        )
        do {
            try WharfJSON.encoder().encode(state).write(to: stateFile(instance.slug), options: .atomic)
        } catch {
            throw TerraformError(step: "record", status: 0, message: "cannot write \(stateFile(instance.slug).path): \(error)")
        }
    }

    /// Lifts deletion protection with an apply, then destroys; the instance's folder goes last.
    func destroy(_ desired: DesiredInstance) async throws(TerraformError) {
        let slug = desired.slug
        guard state(slug) != nil else { return }
        try await converge(desired, running: false, deletionProtection: false)
        try await runner.destroy(in: directory(slug), backend: backend, log: logFile(slug))
        try? FileManager.default.removeItem(at: directory(slug))
    }

    /// Every instance's state is in one bucket, under the prefix its module's backend names.
    var backend: [String: String] { ["bucket": configuration.stateBucket ?? ""] }

    /// The generated `*.tf.json` (only changed files are rewritten) and `wharf.auto.tfvars.json`, which
    /// Terraform reads by itself.
    func write(_ instance: Instance, variables: [String: JSONValue]) throws(TerraformError) {
        var values = variables
        for (name, value) in configuration.variables { values[name] = .string(value) }
        do {
            let root = URL(filePath: configuration.directory)
            _ = try OutputDirectory(root: root).sync(instance.terraform(region: configuration.region), owned: [instance.slug], check: false)
            try Data(JSONValue.object(values).canonicalText.utf8).write(to: directory(instance.slug).appending(path: "wharf.auto.tfvars.json"), options: .atomic)
        } catch {
            throw TerraformError(step: "generate", status: 0, message: "cannot write the module of \(instance.slug) under \(configuration.directory): \(error)")
        }
    }

    public func changedInstances() async -> [String] { [] }

    public func acknowledgeCrashes(_ slug: String, through: Date) async {}

    /// The instance's Terraform log: what the provider ran and what Terraform said.
    public func logs(_ slug: String, after offset: Int?, limit: Int) async -> InstanceLogs {
        InstanceLogs.read(logFile(slug), after: offset, limit: limit)
    }

    /// Any answer below 500 from `https://<host>/-/healthz` counts: the CDN, the load balancer and the
    /// product are reachable; the product's own check needs its diagnostics secret.
    public static let probeHealth: @Sendable (String) async -> Bool = { host in
        guard let answer = try? await HTTPClient.shared.execute(HTTPClientRequest(url: "https://\(host)/-/healthz"), timeout: .seconds(5)) else { return false }
        return answer.status.code < 500
    }
}

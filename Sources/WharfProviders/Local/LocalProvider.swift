import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import WharfCore

#if canImport(Glibc)
import Glibc
#endif

/// The embedded default provider: each instance is a supervised OS process of the product, with its own
/// directory (`data/`, `logs/`, `state.json`), a free loopback port and an environment built from the
/// instance record. Processes run in sessions of their own and outlive the control plane; a restarted
/// control plane adopts them through `state.json` (pid and process start time).
public actor LocalProvider: Provider {
    var configuration: LocalProviderConfiguration
    let clock: @Sendable () -> Date
    /// The processes seen running, so `changedInstances()` notices a crash with one `/proc` read each.
    var watched: [String: (pid: Int32, ticks: UInt64?)] = [:]

    /// Loopback processes share the host's address and network: no egress addresses or private links of their own.
    public nonisolated let capabilities = ProviderCapabilities(provider: "local", staticEgress: false, privateConnectivity: false)

    public init(_ configuration: LocalProviderConfiguration, clock: @escaping @Sendable () -> Date = Date.init) {
        self.configuration = configuration
        self.clock = clock
    }

    /// Tells products where Wharf's API is, once it listens (its port may be picked at start).
    public func setWharfURL(_ url: String) {
        configuration.wharfURL = url
    }

    func directory(_ slug: String) -> URL { URL(fileURLWithPath: configuration.directory).appendingPathComponent(slug) }
    func stateFile(_ slug: String) -> URL { directory(slug).appendingPathComponent("state.json") }
    public func logFile(_ slug: String) -> URL { directory(slug).appendingPathComponent("logs/product.log") }

    /// The loopback port the instance's product listens on, while it runs; the edge routes to it.
    public func port(_ slug: String) -> Int? {
        guard let state = LocalProcessState.load(stateFile(slug)), let pid = state.pid, ProcessTable.isAlive(pid, startedAt: state.processStartTicks) else { return nil }
        return state.port
    }

    /// The pid of the instance's running product, for supervision tests and `wharf instance check`.
    public func pid(_ slug: String) -> Int32? {
        guard let state = LocalProcessState.load(stateFile(slug)), let pid = state.pid, ProcessTable.isAlive(pid, startedAt: state.processStartTicks) else { return nil }
        return pid
    }

    // MARK: Observe

    public func observe() async -> [String: ProviderObservation] {
        let slugs = (try? FileManager.default.contentsOfDirectory(atPath: configuration.directory)) ?? []
        var result: [String: ProviderObservation] = [:]
        for slug in slugs.sorted() where (try? Slug.parse(slug)) != nil {
            result[slug] = await observe(slug)
        }
        return result
    }

    /// One instance: is its process alive (recording a crash if it died on its own), and does it answer.
    public func observe(_ slug: String) async -> ProviderObservation {
        let hasData = FileManager.default.fileExists(atPath: directory(slug).appendingPathComponent("data").path)
        guard var state = LocalProcessState.load(stateFile(slug)) else {
            return ProviderObservation(observed: ObservedInstance(process: hasData ? .stopped : .absent), hasData: hasData)
        }
        let now = clock()
        var running = false
        watched[slug] = nil
        if let pid = state.pid {
            if ProcessTable.isAlive(pid, startedAt: state.processStartTicks) {
                running = true
                watched[slug] = (pid, state.processStartTicks)
            } else {
                ProcessTable.reap(pid)
                state.pid = nil
                if state.stoppedAt == nil {
                    state.crashes.append(now)
                    state.unreportedCrashes = (state.unreportedCrashes ?? []) + [now]
                }
                try? state.save(stateFile(slug))
            }
        }
        // Observing is the provider's regular visit (every resync and probe), so it also keeps a running
        // product's log in bounds.
        if running { rotateLog(slug, inUse: true) }
        let recent = state.crashes.filter { now.timeIntervalSince($0) < configuration.crashWindow }
        let crashLoop = recent.count >= configuration.crashLoopThreshold
        var health: (healthy: Bool, version: String?) = (false, nil)
        if running, let port = state.port { health = await probe(port: port, secret: state.diagnosticsSecret) }
        let observed = ObservedInstance(
            process: running ? .running : .stopped, healthy: health.healthy && !crashLoop,
            productVersion: health.version, telemetry: running ? state.launch?.telemetry : nil,
            licenceKeyFingerprint: running ? state.launch?.licenceKeyFingerprint : nil, startedAt: running ? state.startedAt : nil,
            frontendRestarts: running ? state.launch?.frontendRestarts : nil
        )
        return ProviderObservation(
            observed: observed, launch: state.launch, hasData: hasData, crashes: recent, crashLoop: crashLoop, unreportedCrashes: state.unreportedCrashes ?? [],
            processID: running ? state.pid : nil, endpoint: running ? state.port.map { "127.0.0.1:\($0)" } : nil
        )
    }

    public func changedInstances() async -> [String] {
        let gone = watched.filter { !ProcessTable.isAlive($0.value.pid, startedAt: $0.value.ticks) }.keys.sorted()
        for slug in gone { watched[slug] = nil }
        return gone
    }

    public func acknowledgeCrashes(_ slug: String, through: Date) async {
        guard var state = LocalProcessState.load(stateFile(slug)), let unreported = state.unreportedCrashes else { return }
        state.unreportedCrashes = unreported.filter { $0 > through }
        try? state.save(stateFile(slug))
    }

    public func logs(_ slug: String, after offset: Int?, limit: Int) async -> InstanceLogs {
        InstanceLogs.read(logFile(slug), after: offset, limit: limit)
    }

    /// `/-/healthz` with the instance's secret, and the version `/-/version` reports.
    func probe(port: Int, secret: String) async -> (healthy: Bool, version: String?) {
        var health = HTTPClientRequest(url: "http://127.0.0.1:\(port)/-/healthz")
        health.headers.add(name: "Authorization", value: "Bearer \(secret)")
        // A product that does not answer at all is not asked twice.
        guard let answer = try? await HTTPClient.shared.execute(health, timeout: .seconds(2)) else { return (false, nil) }
        let healthy = answer.status == .ok
        guard let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/-/version"), timeout: .seconds(2)),
            let body = try? await response.body.collect(upTo: 64 * 1024),
            let version = try? JSONDecoder().decode([String: String].self, from: Data(buffer: body))["version"]
        else { return (healthy, nil) }
        return (healthy, version)
    }

    // MARK: Apply

    public func apply(_ action: ProviderAction, desired: DesiredInstance) async throws(ProviderError) {
        switch action {
        case .start: try await start(desired, action: action)
        case .stop: await stop(desired.slug)
        case .restart:
            await stop(desired.slug)
            try await start(desired, action: action)
        case .destroyData: try destroyData(desired.slug, action: action)
        }
    }

    func start(_ desired: DesiredInstance, action: ProviderAction) async throws(ProviderError) {
        let slug = desired.slug
        let now = clock()
        var state = LocalProcessState.load(stateFile(slug)) ?? LocalProcessState(diagnosticsSecret: TokenSecret.generate())
        if let pid = state.pid, ProcessTable.isAlive(pid, startedAt: state.processStartTicks) { return }
        let recent = state.crashes.filter { now.timeIntervalSince($0) < configuration.crashWindow }
        if let last = recent.last {
            let ready = last.addingTimeInterval(LocalProviderConfiguration.backoff(afterCrashes: recent.count))
            if now < ready {
                throw ProviderError(
                    action, "backing off after \(recent.count) crash\(recent.count == 1 ? "" : "es") in \(Int(configuration.crashWindow / 60)) min; next try at \(WharfJSON.timestamp(ready))",
                    retryable: true, retryAt: ready
                )
            }
        }
        do {
            let directory = directory(slug)
            for folder in ["data", "logs"] {
                try FileManager.default.createDirectory(at: directory.appendingPathComponent(folder), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            rotateLog(slug)
            killStrays(slug)
            let port = try LoopbackPort.free()
            let pid = try ProcessTable.spawn(
                configuration.command, environment: environment(desired, port: port, secret: state.diagnosticsSecret), logPath: logFile(slug).path
            )
            state.pid = pid
            state.processStartTicks = ProcessTable.startTicks(pid)
            state.port = port
            state.startedAt = now
            state.launch = desired.launch
            state.stoppedAt = nil
            state.crashes = recent
            watched[slug] = (pid, state.processStartTicks)
            do {
                try state.save(stateFile(slug))
            } catch {
                // A process nobody can find again must not be left running.
                ProcessTable.signal(pid, SIGKILL)
                ProcessTable.reap(pid)
                throw error
            }
        } catch let error as POSIXError where error.code == .ENOENT {
            throw ProviderError(action, "the product command \(configuration.command[0]) does not exist", retryable: false)
        } catch {
            throw ProviderError(action, "\(error)", retryable: true)
        }
    }

    /// SIGTERM, then SIGKILL if it has not drained within the stop timeout. Stopping a stopped instance does nothing.
    func stop(_ slug: String) async {
        guard var state = LocalProcessState.load(stateFile(slug)) else { return }
        if let pid = state.pid {
            ProcessTable.signal(pid, SIGTERM)
            let exited = await ProcessTable.waitForExit(pid, startedAt: state.processStartTicks, within: configuration.stopTimeout)
            if !exited { ProcessTable.signal(pid, SIGKILL) }
            ProcessTable.reap(pid)
        }
        watched[slug] = nil
        state.pid = nil
        state.stoppedAt = clock()
        try? state.save(stateFile(slug))
    }

    /// Kills processes started for this instance that `state.json` does not know: a control plane killed
    /// between spawning a product and recording it leaves one behind, and it must not run twice.
    func killStrays(_ slug: String) {
        let known = LocalProcessState.load(stateFile(slug))?.pid
        for pid in ProcessTable.pids(environment: Self.instanceMarker, equal: directory(slug).path) where pid != known {
            ProcessTable.signal(pid, SIGKILL)
            ProcessTable.reap(pid)
        }
    }

    func destroyData(_ slug: String, action: ProviderAction) throws(ProviderError) {
        if let pid = LocalProcessState.load(stateFile(slug))?.pid, ProcessTable.isAlive(pid, startedAt: nil) {
            throw ProviderError(action, "the instance's process is still running; stop it first", retryable: true)
        }
        do {
            killStrays(slug)
            if FileManager.default.fileExists(atPath: directory(slug).path) { try FileManager.default.removeItem(at: directory(slug)) }
        } catch {
            throw ProviderError(action, "\(error)", retryable: true)
        }
    }

    /// Marks each product's environment with its instance directory, so strays can be found in `/proc`.
    static let instanceMarker = "WHARF_INSTANCE_DIRECTORY"

    /// The product's environment: the runtime contract filled from the instance record.
    func environment(_ desired: DesiredInstance, port: Int, secret: String) -> [String: String] {
        let inherited = ProcessInfo.processInfo.environment.filter { ["PATH", "HOME", "LANG", "TMPDIR", "TZ"].contains($0.key) }
        var environment = inherited.merging([
            "HOST": "127.0.0.1", "PORT": String(port), "ENVIRONMENT_ID": desired.slug, "DIAGNOSTICS_SECRET": secret,
            "SQLITE_PATH": directory(desired.slug).appendingPathComponent("data/product.sqlite").path,
            "SERVICE_VERSION": desired.instance.productVersion, "TELEMETRY": desired.instance.telemetry ? "true" : "false",
            "ADMIN_EMAIL": desired.instance.adminEmail, "LOG_FORMAT": "json", Self.instanceMarker: directory(desired.slug).path,
        ]) { $1 }
        if let key = desired.licenceKey { environment["LICENCE_KEY"] = key }
        if let wharf = configuration.wharfURL { environment["WHARF"] = wharf }
        return environment
    }

    /// Moves a log larger than `rotateLogBytes` aside: `product.log` → `product.log.1` → … up to `keptLogs`.
    /// A log `inUse` by a running product is copied aside and truncated in place instead (logrotate's
    /// copytruncate): the product appends to the same open file, now from its start.
    func rotateLog(_ slug: String, inUse: Bool = false) {
        let log = logFile(slug)
        guard let size = (try? FileManager.default.attributesOfItem(atPath: log.path))?[.size] as? Int, size > configuration.rotateLogBytes else { return }
        let manager = FileManager.default
        try? manager.removeItem(atPath: "\(log.path).\(configuration.keptLogs)")
        for index in stride(from: configuration.keptLogs - 1, through: 1, by: -1) {
            try? manager.moveItem(atPath: "\(log.path).\(index)", toPath: "\(log.path).\(index + 1)")
        }
        guard inUse else {
            try? manager.moveItem(atPath: log.path, toPath: "\(log.path).1")
            return
        }
        guard (try? manager.copyItem(atPath: log.path, toPath: "\(log.path).1")) != nil, let handle = try? FileHandle(forWritingTo: log) else { return }
        try? handle.truncate(atOffset: 0)
        try? handle.close()
    }
}

import Foundation
import Testing
import WharfCore
import WharfTesting

@testable import wharf

/// `wharf msp up` end to end: the real binary runs the demo product with the contract of a spec's
/// environment and a local PostgreSQL, `db connect` finds that database, and stopping `up` stops both.
@Suite("msp up")
struct MSPUpTests {
    static let wharf = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: ".build/debug/wharf").path

    @Test("runs the demo product on a local database; db connect finds it; SIGTERM stops the service and the database")
    func upRunsTheServiceWithItsDatabase() async throws {
        let work = FileManager.default.temporaryDirectory.appending(path: "wharf-up-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let service = "notes-\(UInt32.random(in: 0...UInt32.max))"
        let spec = work.appending(path: "notes.yaml").path
        try """
            service: {id: \(service), name: Notes, owners: [qa]}
            build: {image: us-docker.pkg.dev/acme/images/notes}
            environments:
              - id: dev
                category: test
                env: {LOG_LEVEL: debug}
                secretEnv: {NOTES_KEY: notes-key}
                resources:
                  postgreSQL: {databases: [notes, archive]}
            """.write(toFile: spec, atomically: true, encoding: .utf8)

        let port = try LoopbackPort.free()
        let output = work.appending(path: "up.out").path
        var environment = ProcessInfo.processInfo.environment
        environment["NOTES_KEY"] = "from-the-environment"
        let up = try Spawn.start(
            [Self.wharf, "msp", "up", service, "dev", "--spec", spec, "--port", "\(port)", "--", Self.wharf, "demo-product"],
            environment: environment, outputPath: output, newSession: false
        )
        var stopped = false
        defer {
            if !stopped { kill(up, SIGKILL); _ = Spawn.wait(up) }
            LocalPostgres(directory: LocalRun.directory(service: service, environment: "dev").appending(path: "postgres"), port: 0).stop()
            try? FileManager.default.removeItem(at: LocalRun.directory(service: service, environment: "dev"))
        }

        let secret = try await Poll.until("up prints the health command", within: .seconds(60)) { () -> String? in
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            guard let range = text.range(of: "Authorization: Bearer ") else { return nil }
            return String(text[range.upperBound...].prefix { $0 != "'" })
        }
        let health = try await Poll.until("the demo product answers /-/healthz", within: .seconds(60)) { () -> String? in
            try? await RawConnection.offPool { try LocalTools.output(["curl", "-fsS", "-H", "Authorization: Bearer \(secret)", "http://127.0.0.1:\(port)/-/healthz"]) }
        }
        #expect(health.contains("\"database\""), "\(health)")

        // The service runs with the environment's contract, and its migrations ran on the local database.
        let connect = try await RawConnection.offPool { try LocalTools.output([Self.wharf, "msp", "db", "connect", service, "dev", "--spec", spec]) }
        // Printed ready to paste into a shell, the URL quoted for its `?`.
        #expect(connect.hasPrefix("psql 'postgres://postgres@127.0.0.1:") && connect.contains("/notes?sslmode=disable'"), "\(connect)")
        let url = String(connect.dropFirst("psql ".count)).trimmingCharacters(in: CharacterSet(charactersIn: "'\n"))
        let tables = try await RawConnection.offPool { try LocalTools.output(["psql", url, "-tAc", "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"]) }
        #expect((Int(tables.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0)
        let archive = try await RawConnection.offPool { try LocalTools.output([Self.wharf, "msp", "db", "connect", service, "dev", "--spec", spec, "--database", "archive"]) }
        #expect(archive.contains("/archive?sslmode=disable"))
        let run = try #require(LocalRun.current(service: service, environment: "dev"))
        #expect(try String(contentsOfFile: run.logFile, encoding: .utf8).contains("\(service)-dev"))

        kill(up, SIGTERM)
        #expect(try await RawConnection.offPool { Spawn.wait(up) } == 0)
        stopped = true
        #expect(LocalRun.current(service: service, environment: "dev") == nil)
        let afterStop = try await RawConnection.offPool { Result { try LocalTools.output(["psql", url, "-tAc", "SELECT 1"]) } }
        #expect(throws: WharfError.self) { try afterStop.get() }
    }

    @Test("a spec with Redis gets a local Redis that needs its password, keeps its data between runs, and stops with up")
    func upRunsRedis() async throws {
        let work = FileManager.default.temporaryDirectory.appending(path: "wharf-up-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let service = "cache-\(UInt32.random(in: 0...UInt32.max))"
        defer {
            try? FileManager.default.removeItem(at: work)
            try? FileManager.default.removeItem(at: LocalRun.directory(service: service, environment: "dev"))
        }
        let spec = work.appending(path: "cache.yaml").path
        try """
            service: {id: \(service), name: Cache, owners: [qa]}
            build: {image: us-docker.pkg.dev/acme/images/cache}
            environments:
              - {id: dev, category: test, resources: {redis: {memoryGB: 1}}}
            """.write(toFile: spec, atomically: true, encoding: .utf8)
        let cli = #"redis-cli -u "$REDIS_URL" --no-auth-warning"#
        @Sendable func up(_ script: String) async throws -> String {
            try await RawConnection.offPool { try LocalTools.output([Self.wharf, "msp", "up", service, "dev", "--spec", spec, "--", "sh", "-c", script]) }
        }
        let first = try await up(#"\#(cli) PING; \#(cli) -a "$REDIS_AUTH" SET greeting hello; echo "url=$REDIS_URL""#)
        #expect(first.contains("NOAUTH"), "\(first)")
        #expect(first.contains("OK"), "\(first)")
        let url = try #require(first.split(separator: "\n").first { $0.hasPrefix("url=redis://127.0.0.1:") }).dropFirst(4)
        // Stopped with up: nothing answers there any more.
        let pinged = try await RawConnection.offPool { Result { try LocalTools.output(["redis-cli", "-u", String(url), "PING"]) } }
        #expect(throws: WharfError.self) { try pinged.get() }
        let second = try await up(#"\#(cli) -a "$REDIS_AUTH" GET greeting"#)
        #expect(second.contains("hello"), "\(second)")
    }

    @Test("up refuses to start without a value for every secret, naming the variable and the secret")
    func missingSecret() async throws {
        let work = FileManager.default.temporaryDirectory.appending(path: "wharf-up-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let spec = work.appending(path: "s.yaml").path
        try """
            service: {id: keyed, name: Keyed, owners: [qa]}
            build: {image: us-docker.pkg.dev/acme/images/keyed}
            environments:
              - {id: dev, category: test, secretEnv: {API_KEY: api-key}}
            """.write(toFile: spec, atomically: true, encoding: .utf8)
        let refused = try await RawConnection.offPool { Result { try LocalTools.output([Self.wharf, "msp", "up", "keyed", "dev", "--spec", spec, "--", "true"]) } }
        let failure = #expect(throws: WharfError.self) { try refused.get() }
        #expect(failure?.message.contains("no local value for API_KEY (secret api-key)") == true)
        #expect(failure?.message.contains("exit 3") == true)
    }
}

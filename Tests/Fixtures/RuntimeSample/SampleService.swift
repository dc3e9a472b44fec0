import Foundation
import Hummingbird
import Logging
import SQLKit
import ServiceLifecycle
import WharfRuntime

/// A small service on the runtime for the runtime's own tests: a greeting from its settings, notes in its
/// database, a slow route to catch a shutdown mid-request, and a health check that can be made to fail.
/// The tests run it in-process and, for signal handling, as this executable.
public struct SampleService: WharfService {
    public static let name = "sample"
    public static let version = "1.2.3"
    public static var settings: [ContractVariable] {
        [
            ContractVariable("GREETING", help: "what /hello says", default: "hello"),
            ContractVariable("SAMPLE_UNHEALTHY", help: "set to fail the sample health check"),
        ]
    }
    public static func migrations(for version: String) -> [Migration] {
        [
            Migration(version: 1, name: "notes", sql: ["CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NOT NULL)"]),
            Migration(version: 2, name: "note authors") { db, kind in
                // A slow step on PostgreSQL, so replicas that start together overlap inside it.
                if kind == .postgres { try await db.raw("SELECT pg_sleep(0.3)").run() }
                try await db.raw("ALTER TABLE notes ADD COLUMN author TEXT").run()
                try await db.raw("CREATE TABLE migration_runs (step TEXT NOT NULL)").run()
                try await db.raw("INSERT INTO migration_runs (step) VALUES ('2')").run()
            },
        ]
    }
    public static var requiresDatabase: Bool { false }

    let greeting: String
    let unhealthy: Bool
    let database: (any DatabaseEngine)?
    let logger: Logger

    public init(context: RuntimeContext) async throws {
        greeting = context.setting("GREETING") ?? "hello"
        unhealthy = context.setting("SAMPLE_UNHEALTHY") != nil
        database = context.database
        logger = context.logger
    }

    struct Note: Codable, ResponseEncodable {
        var id: String
        var body: String
    }

    public func addRoutes(to router: Router<RuntimeRequestContext>) {
        router.get("hello") { _, context in
            ["greeting": greeting, "requestId": context.requestID, "traceId": context.trace.traceID,
             "loggedTraceId": context.logger[metadataKey: "trace_id"].map { "\($0)" } ?? ""]
        }
        router.get("slow") { request, _ in
            let millis = Int(request.uri.queryParameters["ms"] ?? "") ?? 500
            try await Task.sleep(for: .milliseconds(millis))
            return "done after \(millis) ms"
        }
        router.get("notes/:id") { _, context in
            guard let database else { throw HTTPError(.serviceUnavailable) }
            let id = try context.parameters.require("id")
            guard let row = try await database.read({ db in try await db.select().columns("id", "body").from("notes").where("id", .equal, SQLBind(id)).first() }) else {
                throw HTTPError(.notFound)
            }
            return Note(id: try row.decode(column: "id", as: String.self), body: try row.decode(column: "body", as: String.self))
        }
        router.put("notes/:id") { request, context in
            guard let database else { throw HTTPError(.serviceUnavailable) }
            let id = try context.parameters.require("id")
            let body = String(buffer: try await request.body.collect(upTo: 4096))
            try await database.transaction { db in
                try await db.insert(into: "notes").columns("id", "body").values(SQLBind(id), SQLBind(body)).run()
            }
            return Response(status: .created)
        }
    }

    public var backgroundServices: [any Service] { [Heartbeat(logger: logger)] }

    public func checkHealth(into report: inout HealthReport) async {
        report.record("sample", ok: !unhealthy, detail: unhealthy ? "SAMPLE_UNHEALTHY is set" : nil)
    }
}

/// A background routine that runs until the graceful shutdown reaches it, and says when it stops.
struct Heartbeat: Service {
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        logger.info("heartbeat stopped")
    }
}

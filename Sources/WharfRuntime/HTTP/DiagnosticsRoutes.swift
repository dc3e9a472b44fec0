import Crypto
import Foundation
import Hummingbird
import Prometheus
import SQLKit

/// The endpoints every service gets: `/-/version` (open), `/-/healthz` (behind the diagnostics secret)
/// and `/metrics` (Prometheus text).
struct DiagnosticsRoutes {
    struct Version: Codable, Sendable {
        var service: String
        var version: String
        var environment: String
    }

    let version: Version
    let diagnosticsSecret: String
    let database: (any DatabaseEngine)?
    let registry: PrometheusCollectorRegistry
    let serviceChecks: @Sendable () async -> HealthReport

    func add(to router: Router<RuntimeRequestContext>) {
        let versionBody = ByteBuffer(bytes: (try? JSONEncoder().encode(version)) ?? Data())
        router.get("/-/version") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: versionBody))
        }
        router.get("/-/healthz") { request, _ in
            guard authorised(request) else {
                return Response(
                    status: .unauthorized, headers: [.wwwAuthenticate: "Bearer", .contentType: "application/json"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"error":"send Authorization: Bearer $DIAGNOSTICS_SECRET"}"#))
                )
            }
            var report = await serviceChecks()
            if let database { report.checks["database"] = await Self.check(database) }
            let body = (try? JSONEncoder().encode(report)) ?? Data()
            return Response(
                status: report.healthy ? .ok : .serviceUnavailable, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: body))
            )
        }
        router.get("/metrics") { _, _ in MetricsPage.response(registry) }
    }

    /// Compares the bearer secret in constant time, so timing does not reveal how much of it matched.
    func authorised(_ request: Request) -> Bool {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { return false }
        let given = SHA256.hash(data: Array(header.dropFirst(7).utf8))
        let expected = SHA256.hash(data: Array(diagnosticsSecret.utf8))
        return zip(given, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func check(_ database: any DatabaseEngine) async -> HealthReport.Check {
        let started = ContinuousClock.now
        do {
            _ = try await database.read { db in try await db.raw("SELECT 1 AS ok").first() }
            return HealthReport.Check(ok: true, detail: "answered in \((ContinuousClock.now - started).formatted(.units(allowed: [.milliseconds])))")
        } catch {
            return HealthReport.Check(ok: false, detail: "\(error)")
        }
    }
}

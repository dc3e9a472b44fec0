import Foundation
import Hummingbird
import Prometheus
import WharfCore
import WharfRuntime

/// Routes that need no token: the landing page, the health check, the API description and the
/// Prometheus metrics (the embedded AI gateway's series and the process's).
enum MetaRoutes {
    static func add(to router: Router<WharfRequestContext>, metrics: PrometheusCollectorRegistry) throws {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json") else {
            throw WharfError(.internalError, "the OpenAPI document is missing from the build")
        }
        let openAPI = ByteBuffer(bytes: try Data(contentsOf: url))
        router.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: openAPI))
        }
        router.get("healthz") { _, _ in try JSONResponse.make(["status": "ok"]) }
        router.get("metrics") { _, _ in MetricsPage.response(metrics) }
        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: landingPage)))
        }
    }

    static let landingPage = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Wharf</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;color:#1d2330}
        code{background:#eef1f6;padding:.1rem .3rem;border-radius:3px}</style></head>
        <body><h1>Wharf</h1>
        <p>The control plane for running a self-hosted product as a managed, dedicated service: one instance per customer.</p>
        <ul>
        <li>API: <code>/v1</code>, described by <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1)</li>
        <li>Health: <a href="/healthz">/healthz</a>; metrics: <a href="/metrics">/metrics</a> (Prometheus)</li>
        <li>CLI: <code>WHARF_URL=… WHARF_TOKEN=… wharf instance list</code></li>
        </ul></body></html>
        """
}

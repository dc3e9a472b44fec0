import Hummingbird
import Prometheus

/// The answer to `GET /metrics`: a registry's series and the process's, in the Prometheus text format.
/// The runtime's diagnostics and the control plane serve the same page.
public enum MetricsPage {
    public static func response(_ registry: PrometheusCollectorRegistry) -> Response {
        var bytes = registry.emitToBuffer()
        bytes += Array(ProcessMetrics.render().utf8)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// The call to the provider: the instance's body as sent, with the vendor's key in the API's own header
/// and the client's Anthropic version and beta headers passed on.
enum UpstreamRequest {
    static func make(
        _ api: UpstreamAPI, upstream: GatewayConfiguration.Upstream, endpoint: UpstreamEndpoint, streams: Bool, body: ByteBuffer, requestID: String, clientHeaders: HTTPHeaders
    ) -> (head: HTTPRequestHead, body: ByteBuffer) {
        let body = streams && api == .openAI ? ByteBuffer(data: askingForStreamUsage(Data(buffer: body))) : body
        var headers = HTTPHeaders()
        headers.reserveCapacity(8)
        headers.add(name: "host", value: endpoint.hostHeader)
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "content-length", value: String(body.readableBytes))
        headers.add(name: "x-request-id", value: requestID)
        switch api {
        case .anthropic:
            headers.add(name: "x-api-key", value: upstream.apiKey)
            headers.add(name: "anthropic-version", value: clientHeaders.first(name: "anthropic-version") ?? "2023-06-01")
            if let beta = clientHeaders.first(name: "anthropic-beta") { headers.add(name: "anthropic-beta", value: beta) }
        case .openAI:
            headers.add(name: "authorization", value: "Bearer \(upstream.apiKey)")
        }
        return (HTTPRequestHead(version: .http1_1, method: .POST, uri: endpoint.pathPrefix + api.path, headers: headers), body)
    }

    /// An OpenAI streaming body with `stream_options.include_usage` set, so the stream reports its usage.
    static func askingForStreamUsage(_ data: Data) -> Data {
        guard var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return data }
        var options = object["stream_options"] as? [String: Any] ?? [:]
        options["include_usage"] = true
        object["stream_options"] = options
        return (try? JSONSerialization.data(withJSONObject: object)) ?? data
    }
}

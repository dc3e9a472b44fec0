import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// The call to the provider: the instance's body as sent, with the vendor's key in the API's own header
/// and the client's Anthropic version and beta headers passed on.
enum UpstreamRequest {
    static func make(
        _ api: UpstreamAPI, upstream: GatewayConfiguration.Upstream, body: GatewayRequestBody, data: Data, requestID: String, clientHeaders: HTTPFields
    ) -> HTTPClientRequest {
        var outgoing = HTTPClientRequest(url: upstream.baseURL + api.path)
        outgoing.method = .POST
        outgoing.headers.add(name: "content-type", value: "application/json")
        outgoing.headers.add(name: "x-request-id", value: requestID)
        switch api {
        case .anthropic:
            outgoing.headers.add(name: "x-api-key", value: upstream.apiKey)
            outgoing.headers.add(name: "anthropic-version", value: clientHeaders[HTTPField.Name("anthropic-version")!] ?? "2023-06-01")
            if let beta = clientHeaders[HTTPField.Name("anthropic-beta")!] { outgoing.headers.add(name: "anthropic-beta", value: beta) }
        case .openAI:
            outgoing.headers.add(name: "authorization", value: "Bearer \(upstream.apiKey)")
        }
        outgoing.body = .bytes(ByteBuffer(data: body.streams && api == .openAI ? askingForStreamUsage(data) : data))
        return outgoing
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

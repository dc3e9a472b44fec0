import NIOHTTP1

/// The header rewriting of a reverse proxy (RFC 9110 §7.6.1): hop-by-hop headers stop at the edge, and
/// the instance learns who called it through `X-Forwarded-*`.
enum ForwardedHeaders {
    static let hopByHop: Set<String> = ["connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade", "proxy-authenticate", "proxy-authorization"]

    /// Removes hop-by-hop headers and those `Connection` names. Framing headers (`Content-Length`,
    /// `Transfer-Encoding`) stay: the codecs on each side frame the message from them.
    static func strippingHopByHop(_ headers: HTTPHeaders) -> HTTPHeaders {
        // Most messages carry none: skip the copy then (the edge's hot path, so no lower-cased copies either).
        guard headers.contains(where: { isHopByHop($0.name) }) else { return headers }
        var named = hopByHop
        for value in headers["connection"] {
            for token in value.split(separator: ",") { named.insert(token.filter { !$0.isWhitespace }.lowercased()) }
        }
        named.remove("content-length")
        named.remove("transfer-encoding")
        var result = HTTPHeaders()
        for (name, value) in headers where !named.contains(name.lowercased()) { result.add(name: name, value: value) }
        return result
    }

    /// Whether `name` is one of `hopByHop`, in any case, without allocating.
    static func isHopByHop(_ name: String) -> Bool {
        hopByHopNames.contains { candidate in
            candidate.count == name.utf8.count && zip(candidate, name.utf8).allSatisfy { $0 == ($1 | 0x20) || $0 == $1 }
        }
    }

    private static let hopByHopNames = hopByHop.map { Array($0.utf8) }

    /// The request head sent to the instance. The edge is the first hop, so `X-Forwarded-*` a client sent
    /// is replaced, not trusted. A WebSocket upgrade keeps its `Upgrade` and `Connection: upgrade`.
    static func request(_ head: HTTPRequestHead, clientAddress: String?, host: String, isUpgrade: Bool) -> HTTPRequestHead {
        var headers = strippingHopByHop(head.headers)
        for name in ["x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "forwarded"] { headers.remove(name: name) }
        if let clientAddress { headers.add(name: "x-forwarded-for", value: clientAddress) }
        headers.add(name: "x-forwarded-proto", value: "http")
        headers.add(name: "x-forwarded-host", value: host)
        if isUpgrade, let upgrade = head.headers.first(name: "upgrade") {
            headers.add(name: "connection", value: "upgrade")
            headers.add(name: "upgrade", value: upgrade)
        }
        return HTTPRequestHead(version: .http1_1, method: head.method, uri: head.uri, headers: headers)
    }

    /// Whether the request asks to switch to WebSocket.
    static func isWebSocketUpgrade(_ head: HTTPRequestHead) -> Bool {
        head.headers["upgrade"].contains { $0.lowercased() == "websocket" }
            && head.headers[canonicalForm: "connection"].contains { $0.lowercased() == "upgrade" }
    }
}

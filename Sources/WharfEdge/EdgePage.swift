import Foundation
import NIOCore
import NIOHTTP1

/// The edge's own answers, as small HTML pages that say what happened and what to do, never how the
/// instance is configured (a refused visitor does not learn the allowlist).
struct EdgePage {
    var status: HTTPResponseStatus
    var title: String
    var message: String
    var retryAfter: Int?

    static func unknownHost(_ host: String) -> EdgePage {
        EdgePage(status: .notFound, title: "No such instance", message: "Nothing is served at \(host). Check the address.")
    }

    static func refused(_ slug: String) -> EdgePage {
        EdgePage(
            status: .forbidden, title: "Access denied",
            message: "The instance \(slug) accepts connections only from its customer's allowed networks, and this connection does not come from one of them. Ask its administrator if you need access."
        )
    }

    static func suspended(_ slug: String) -> EdgePage {
        EdgePage(status: .serviceUnavailable, title: "Instance suspended", message: "The instance \(slug) is suspended. Its administrator can ask for it to be resumed.")
    }

    static func notReady(_ slug: String) -> EdgePage {
        EdgePage(status: .serviceUnavailable, title: "Instance starting", message: "The instance \(slug) is not ready yet. Try again in a few seconds.", retryAfter: 5)
    }

    static func unreachable(_ slug: String) -> EdgePage {
        EdgePage(status: .badGateway, title: "Instance not answering", message: "The instance \(slug) did not answer. It is being looked after; try again shortly.", retryAfter: 5)
    }

    static let badRequest = EdgePage(status: .badRequest, title: "Bad request", message: "The request has no Host header.")

    func body(allocator: ByteBufferAllocator) -> ByteBuffer {
        let html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>\(Self.escape(title))</title>\
            <style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:5rem auto;padding:0 1rem;color:#222}</style></head>\
            <body><h1>\(Self.escape(title))</h1><p>\(Self.escape(message))</p></body></html>

            """
        return allocator.buffer(string: html)
    }

    func head(contentLength: Int, keepAlive: Bool) -> HTTPResponseHead {
        var headers: HTTPHeaders = [
            "content-type": "text/html; charset=utf-8", "content-length": String(contentLength), "cache-control": "no-store",
        ]
        if let retryAfter { headers.add(name: "retry-after", value: String(retryAfter)) }
        if !keepAlive { headers.add(name: "connection", value: "close") }
        return HTTPResponseHead(version: .http1_1, status: status, headers: headers)
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}

import Foundation
import Logging
import Testing
import WharfCore
import WharfEdge
import WharfProviders
import WharfTesting

#if canImport(Glibc)
import Glibc
#endif

/// The edge with real sockets: a real upstream behind it, requests from chosen loopback addresses.
@Suite("Edge")
struct EdgeTests {
    static func instance(_ slug: String, state: InstanceState = .active, allow: [String] = []) -> Instance {
        var (instance, _) = try! Fixtures.instance(slug).validated(now: Date(), baseDomain: "localhost")
        instance.state = state
        instance.ingressAllowlist = allow
        return instance
    }

    static func running(port: Int) -> ProviderObservation {
        ProviderObservation(observed: ObservedInstance(process: .running, healthy: true), endpoint: "127.0.0.1:\(port)")
    }

    /// An edge in front of an echo upstream, with `acme-prod.localhost` routed to it.
    static func with<T: Sendable>(allow: [String] = [], _ body: @escaping @Sendable (_ edge: Int, _ upstream: EchoUpstream, _ routes: RouteTable) async throws -> T) async throws -> T {
        try await EchoUpstream.with { upstream in
            let routes = RouteTable()
            _ = await routes.publish(instance("acme-prod", allow: allow), seen: running(port: upstream.port))
            let (ports, port) = AsyncStream<Int>.makeStream()
            var logger = Logger(label: "wharf.test.edge")
            logger.logLevel = .error
            let edge = EdgeServer(routes: routes, host: "127.0.0.1", port: 0, logger: logger, onListening: { port.yield($0) })
            return try await ListeningService.run("edge", edge, ports: ports, port: port) { bound in try await body(bound, upstream, routes) }
        }
    }

    static func get(_ port: Int, host: String, path: String = "/headers", from source: String? = nil, headers: String = "") throws -> String {
        let connection = try RawConnection(port: port, from: source)
        try connection.send("GET \(path) HTTP/1.1\r\nHost: \(host)\r\n\(headers)Connection: close\r\n\r\n")
        return try connection.readToEnd()
    }

    @Test("routes by Host, sets X-Forwarded-* (replacing what the client sent) and strips hop-by-hop headers both ways")
    func routing() async throws {
        try await Self.with { edge, _, _ in
            let response = try Self.get(
                edge, host: "acme-prod.localhost:\(edge)", from: "127.0.0.5",
                headers: "X-Forwarded-For: 6.6.6.6\r\nX-Secret: hop\r\nKeep-Alive: 300\r\nTE: trailers\r\nConnection: x-secret\r\n"
            )
            #expect(response.hasPrefix("HTTP/1.1 200"))
            let body = try #require(response.components(separatedBy: "\r\n\r\n").last)
            let headers = try JSONDecoder().decode([String: [String]].self, from: Data(body.utf8))
            #expect(headers["x-forwarded-for"] == ["127.0.0.5"])
            #expect(headers["x-forwarded-proto"] == ["http"])
            #expect(headers["x-forwarded-host"] == ["acme-prod.localhost:\(edge)"])
            #expect(headers["host"] == ["acme-prod.localhost:\(edge)"])
            for hop in ["x-secret", "keep-alive", "te", "connection"] { #expect(headers[hop] == nil, "\(hop) reached the instance") }
            let responseHead = response.components(separatedBy: "\r\n\r\n")[0].lowercased()
            #expect(responseHead.contains("x-upstream: echo") && !responseHead.contains("keep-alive: timeout"))
        }
    }

    @Test("pipelined requests are answered in order, edge pages among them, and Connection: close ends the connection")
    func pipelining() async throws {
        try await Self.with { edge, _, _ in
            let connection = try RawConnection(port: edge)
            try connection.send(
                "GET /headers HTTP/1.1\r\nHost: acme-prod.localhost\r\nX-N: first\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: acme-prod.localhost\r\nContent-Length: 4\r\n\r\nping"
                    + "GET / HTTP/1.1\r\nHost: nobody.localhost\r\n\r\n"
                    + "GET /headers HTTP/1.1\r\nHost: acme-prod.localhost\r\nX-N: last\r\nConnection: close\r\n\r\n"
            )
            let answers = try connection.readToEnd()
            let starts = answers.components(separatedBy: "HTTP/1.1 ").dropFirst().map { String($0.prefix(3)) }
            #expect(starts == ["200", "200", "404", "200"])
            let first = try #require(answers.range(of: "\"x-n\":[\"first\"]"))
            let ping = try #require(answers.range(of: "\r\nping\r\n"))
            let last = try #require(answers.range(of: "\"x-n\":[\"last\"]"))
            #expect(first.upperBound < ping.lowerBound && ping.upperBound < last.lowerBound)
        }
    }

    @Test("unknown hosts get 404; suspended and starting instances 503 with a page that says so")
    func pages() async throws {
        try await Self.with { edge, upstream, routes in
            #expect(try Self.get(edge, host: "nobody.localhost").hasPrefix("HTTP/1.1 404"))
            _ = await routes.publish(Self.instance("acme-prod", state: .suspended), seen: Self.running(port: upstream.port))
            let suspended = try Self.get(edge, host: "acme-prod.localhost")
            #expect(suspended.hasPrefix("HTTP/1.1 503") && suspended.contains("is suspended"))
            _ = await routes.publish(Self.instance("acme-prod", state: .provisioning), seen: .absent)
            let starting = try Self.get(edge, host: "acme-prod.localhost")
            #expect(starting.hasPrefix("HTTP/1.1 503") && starting.lowercased().contains("retry-after: 5"))
            _ = await routes.publish(Self.instance("acme-prod", state: .deleted), seen: .absent)
            #expect(try Self.get(edge, host: "acme-prod.localhost").hasPrefix("HTTP/1.1 404"))
        }
    }

    @Test("the allowlist admits 127.0.0.2 and refuses 127.0.0.3 with a 403 page that does not reveal the allowlist")
    func allowlist() async throws {
        try await Self.with(allow: ["127.0.0.2/32", "10.0.0.0/8"]) { edge, _, _ in
            #expect(try Self.get(edge, host: "acme-prod.localhost", from: "127.0.0.2").hasPrefix("HTTP/1.1 200"))
            let refused = try Self.get(edge, host: "acme-prod.localhost", from: "127.0.0.3")
            #expect(refused.hasPrefix("HTTP/1.1 403"))
            #expect(refused.contains("allowed networks") && !refused.contains("127.0.0.2") && !refused.contains("10.0.0.0"))
        }
    }

    @Test("responses and request bodies stream through part by part, without waiting for the whole")
    func streaming() async throws {
        try await Self.with { edge, upstream, _ in
            let drip = try RawConnection(port: edge)
            try drip.send("GET /drip HTTP/1.1\r\nHost: acme-prod.localhost\r\n\r\n")
            // The first line arrives while the upstream still holds back the second.
            #expect(try drip.read(through: "first\n").hasPrefix("HTTP/1.1 200"))
            upstream.release()
            _ = try drip.read(through: "second\n")

            let echo = try RawConnection(port: edge)
            try echo.send("POST /echo HTTP/1.1\r\nHost: acme-prod.localhost\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nhello \r\n")
            _ = try echo.read(through: "hello ")
            try echo.send("5\r\nworld\r\n0\r\n\r\n")
            _ = try echo.read(through: "world")
            // The same connection serves the next request (keep-alive on both sides).
            try echo.send("GET /headers HTTP/1.1\r\nHost: acme-prod.localhost\r\nConnection: close\r\n\r\n")
            #expect(try echo.readToEnd().contains("x-forwarded-host"))
        }
    }

    @Test("a WebSocket upgrade becomes a byte relay: frames go both ways")
    func webSocket() async throws {
        try await Self.with { edge, _, _ in
            let socket = try RawConnection(port: edge)
            try socket.send(
                "GET /ws HTTP/1.1\r\nHost: acme-prod.localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
            )
            let head = try socket.read(through: "\r\n\r\n")
            #expect(head.hasPrefix("HTTP/1.1 101"))
            #expect(head.contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="))
            let mask: [UInt8] = [1, 2, 3, 4]
            let payload = Array("hello".utf8)
            try socket.send([0x81, 0x80 | UInt8(payload.count)] + mask + payload.enumerated().map { $0.element ^ mask[$0.offset % 4] })
            let frame = try socket.read(count: 2 + payload.count)
            #expect(frame[0] == 0x81 && Int(frame[1]) == payload.count && Array(frame[2...]) == payload)
        }
    }

    @Test("an instance that does not answer gives 502")
    func unreachable() async throws {
        try await Self.with { edge, _, routes in
            let closed = closedPort()
            _ = await routes.publish(Self.instance("acme-prod"), seen: Self.running(port: closed))
            let response = try Self.get(edge, host: "acme-prod.localhost")
            #expect(response.hasPrefix("HTTP/1.1 502"))
        }
    }
}

/// A loopback port nothing listens on: bound for a moment to learn a free number, then closed.
func closedPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}

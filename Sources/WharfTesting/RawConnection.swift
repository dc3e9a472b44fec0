import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection with blocking reads (30 s timeout: the whole suite runs at once on a small machine), optionally from a chosen loopback source
/// address (127.0.0.2, …), for tests that need exact bytes on the wire: allowlists by client address,
/// streaming, WebSocket upgrades.
public final class RawConnection: @unchecked Sendable {
    private let fd: Int32
    private var received: [UInt8] = []

    public init(port: Int, from source: String? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSetupError("socket() failed: \(errno)") }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if let source {
            var local = Self.address(source, port: 0)
            let bound = withUnsafePointer(to: &local) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            guard bound == 0 else { close(fd); throw TestSetupError("cannot bind to \(source): errno \(errno)") }
        }
        var remote = Self.address("127.0.0.1", port: port)
        let connected = withUnsafePointer(to: &remote) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard connected == 0 else { close(fd); throw TestSetupError("cannot connect to port \(port): errno \(errno)") }
    }

    deinit { close(fd) }

    /// Runs blocking socket work on a Dispatch thread: blocking one of Swift's few cooperative threads
    /// can starve the very server the test waits for.
    public static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    static func address(_ ip: String, port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr(ip)
        return address
    }

    public func send(_ text: String) throws { try send(Array(text.utf8)) }

    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw TestSetupError("send failed: errno \(errno)") }
            offset += sent
        }
    }

    /// Reads until the bytes received so far contain `marker`; returns everything up to and including
    /// it, keeping the rest for the next read.
    public func read(through marker: String) throws -> String {
        let needle = Array(marker.utf8)
        while true {
            if let range = Self.find(needle, in: received) {
                let taken = Array(received[..<range.upperBound])
                received.removeFirst(range.upperBound)
                return String(decoding: taken, as: UTF8.self)
            }
            guard try fill() else { throw TestSetupError("connection closed before '\(marker)'; got: \(String(decoding: received, as: UTF8.self))") }
        }
    }

    /// Reads exactly `count` bytes.
    public func read(count: Int) throws -> [UInt8] {
        while received.count < count {
            guard try fill() else { throw TestSetupError("connection closed after \(received.count) of \(count) bytes") }
        }
        defer { received.removeFirst(count) }
        return Array(received.prefix(count))
    }

    /// Reads until the peer closes; returns everything not read yet.
    public func readToEnd() throws -> String {
        while try fill() {}
        defer { received.removeAll() }
        return String(decoding: received, as: UTF8.self)
    }

    private func fill() throws -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count < 0 { throw TestSetupError("read failed or timed out: errno \(errno); got so far: \(String(decoding: received.prefix(2_000), as: UTF8.self))") }
        received += buffer.prefix(count)
        return count > 0
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<start + needle.count].elementsEqual(needle) {
            return start..<start + needle.count
        }
        return nil
    }
}

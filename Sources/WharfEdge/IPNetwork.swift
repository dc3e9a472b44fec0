import NIOCore
import WharfCore

#if canImport(Glibc)
import Glibc
#endif

/// An allowlist entry parsed once into bytes, so checking a client address costs a few comparisons.
struct IPNetwork: Sendable, Equatable {
    let bytes: [UInt8]
    let prefix: Int

    /// Parses a normalised CIDR from the registry (`203.0.113.0/24`, `2001:db8::/32`).
    init?(_ cidr: String) {
        let pieces = cidr.split(separator: "/")
        guard pieces.count == 2, let prefix = Int(pieces[1]), let bytes = Self.bytes(of: String(pieces[0])) else { return nil }
        self.bytes = bytes
        self.prefix = prefix
    }

    func contains(_ address: [UInt8]) -> Bool {
        guard address.count == bytes.count else { return false }
        var remaining = prefix
        for index in bytes.indices where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xFF : UInt8(truncatingIfNeeded: 0xFF << (8 - remaining))
            if address[index] & mask != bytes[index] & mask { return false }
            remaining -= 8
        }
        return true
    }

    static func bytes(of address: String) -> [UInt8]? {
        let isV6 = address.contains(":")
        var bytes = [UInt8](repeating: 0, count: isV6 ? 16 : 4)
        let parsed = bytes.withUnsafeMutableBytes { inet_pton(isV6 ? AF_INET6 : AF_INET, address, $0.baseAddress) }
        return parsed == 1 ? bytes : nil
    }

    /// The client's address as bytes; an IPv4 address mapped into IPv6 is read as IPv4.
    static func bytes(of address: SocketAddress?) -> [UInt8]? {
        guard let text = address?.ipAddress, let bytes = bytes(of: text) else { return nil }
        return bytes.count == 16 && bytes.prefix(12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] ? Array(bytes.suffix(4)) : bytes
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 network in CIDR notation, normalised: host bits cleared, IPv6 in RFC 5952 form, a bare
/// address read as a single host (`/32` or `/128`). Normalising makes duplicates visible.
public enum CIDR {
    public static func parse(_ text: String) throws(FieldProblem) -> String {
        let trimmed = text.trimmingWhitespace()
        let pieces = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(pieces.count) else {
            throw FieldProblem("invalid_cidr", "must be an address or network like '203.0.113.0/24' or '2001:db8::/32' (got '\(text)')")
        }
        let address = String(pieces[0])
        let isV6 = address.contains(":")
        let family = isV6 ? AF_INET6 : AF_INET
        let bits = isV6 ? 128 : 32
        var bytes = [UInt8](repeating: 0, count: bits / 8)
        let parsed = bytes.withUnsafeMutableBytes { inet_pton(family, address, $0.baseAddress) }
        guard parsed == 1 else {
            throw FieldProblem("invalid_cidr", "'\(address)' is not a valid IPv\(isV6 ? 6 : 4) address (in '\(text)')")
        }
        var prefix = bits
        if pieces.count == 2 {
            guard let value = Int(pieces[1]), (0...bits).contains(value), pieces[1].allSatisfy(\.isNumber) else {
                throw FieldProblem("invalid_cidr", "prefix length must be 0 to \(bits) (in '\(text)')")
            }
            prefix = value
        }
        for index in bytes.indices {
            let keep = max(0, min(8, prefix - index * 8))
            bytes[index] &= keep == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - keep))
        }
        var buffer = [CChar](repeating: 0, count: 64)
        _ = bytes.withUnsafeBytes { raw in inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) }
        let canonical = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return "\(canonical)/\(prefix)"
    }
}

extension String {
    func trimmingWhitespace() -> String {
        String(self.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}

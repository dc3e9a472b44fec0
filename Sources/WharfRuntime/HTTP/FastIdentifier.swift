import Synchronization

/// Request, trace and span ids at the rate a server answers requests. The system generator costs a
/// `getrandom` system call per value, which a profile of the runtime under wrk showed as its largest
/// cost; ids need to be unique and unguessable in practice, not secret keys. So: SplitMix64 over an
/// atomic counter, seeded once from the system generator.
public enum FastIdentifier {
    private static let seed = UInt64.random(in: .min ... .max)
    private static let counter = Atomic<UInt64>(0)
    private static let digits = Array("0123456789abcdef".utf8)

    /// 64 bits from SplitMix64's output function.
    public static func next() -> UInt64 {
        var z = seed &+ counter.wrappingAdd(1, ordering: .relaxed).newValue &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `words` × 64 random bits as lowercase hex.
    public static func hex(words: Int) -> String {
        String(unsafeUninitializedCapacity: words * 16) { buffer in
            for word in 0..<words {
                var value = next()
                for index in (0..<16).reversed() {
                    buffer[word * 16 + index] = digits[Int(value & 0xF)]
                    value >>= 4
                }
            }
            return words * 16
        }
    }

    /// A time-ordered id: the time in milliseconds as 12 hex digits, then 64 random bits. Rows keyed by
    /// such ids are inserted at the end of their index, where random ids would dirty a page each.
    public static func timeOrdered(milliseconds: Int64) -> String {
        let time = String(UInt64(max(0, milliseconds)), radix: 16)
        return String(repeating: "0", count: max(0, 12 - time.utf8.count)) + time + hex(words: 1)
    }
}

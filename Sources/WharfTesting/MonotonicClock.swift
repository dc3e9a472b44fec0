#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The system-wide monotonic clock in nanoseconds: comparable between processes on one machine, so a
/// benchmark can tell how long a chunk took from the fake upstream's write to the client's read.
public enum MonotonicClock {
    public static func nanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}

import Foundation

/// A time zone's UTC offsets as a table of transitions, read once from `TimeZone`. Looking an offset up
/// is a binary search; asking Foundation each time costs about a microsecond a call, and computing the
/// deadlines of a large queue makes several calls per request.
struct ZoneOffsets: Sendable {
    /// Instants (seconds since 1970) at which the offset changes, ascending, with the offset from then on.
    private let transitions: [Int64]
    private let offsets: [Int]
    private let initialOffset: Int

    init(_ zone: TimeZone, from start: Date = Date(timeIntervalSince1970: 0), to end: Date = Date(timeIntervalSince1970: 4_102_444_800)) {
        var transitions: [Int64] = []
        var offsets: [Int] = []
        var cursor = start
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next < end {
            transitions.append(Int64(next.timeIntervalSince1970.rounded()))
            offsets.append(zone.secondsFromGMT(for: next))
            cursor = next
        }
        self.transitions = transitions
        self.offsets = offsets
        self.initialOffset = zone.secondsFromGMT(for: start)
    }

    /// The offset in force at `instant` (seconds since 1970, UTC).
    func offset(at instant: Int64) -> Int {
        var low = 0
        var high = transitions.count
        while low < high {
            let middle = (low + high) / 2
            if transitions[middle] <= instant { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? initialOffset : offsets[low - 1]
    }

    /// Local wall-clock seconds (since 1970-01-01T00:00 local) at `instant`.
    func local(_ instant: Int64) -> Int64 { instant + Int64(offset(at: instant)) }

    /// The instant a local wall-clock time names. In an autumn overlap that is the first occurrence; a time
    /// skipped by a spring change moves forward by the gap (02:30 becomes 03:30), as a wall clock would.
    func instant(local: Int64) -> Int64 {
        let before = local - Int64(offset(at: local - 86_400))
        let after = local - Int64(offset(at: local + 86_400))
        let candidates = [before, after].filter { self.local($0) == local }
        return candidates.min() ?? max(before, after)
    }
}

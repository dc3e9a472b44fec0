import Foundation
import WharfCore

extension InstanceLogs {
    /// Whole lines of a log file: the last `limit` when `offset` is nil, otherwise up to `limit` after the
    /// byte `offset` of an earlier answer, so a follower can poll without reading the file again.
    static func read(_ file: URL, after offset: Int?, limit: Int) -> InstanceLogs {
        guard let handle = try? FileHandle(forReadingFrom: file) else { return InstanceLogs(lines: [], offset: 0) }
        defer { try? handle.close() }
        let size = Int((try? handle.seekToEnd()) ?? 0)
        // A log rotated since the last read starts again from its beginning.
        let start = offset.map { $0 <= size ? $0 : 0 } ?? max(0, size - 256 * 1024)
        try? handle.seek(toOffset: UInt64(start))
        let data = (try? handle.read(upToCount: min(size - start, 1024 * 1024))) ?? Data()
        // Only whole lines; a line still being written is read next time.
        guard let lastNewline = data.lastIndex(of: UInt8(ascii: "\n")) else { return InstanceLogs(lines: [], offset: start) }
        let whole = data[data.startIndex...lastNewline]
        var lines = String(decoding: whole, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        if offset == nil {
            // A window that starts inside the file starts inside a line: that partial line is dropped.
            if start > 0, !lines.isEmpty { lines.removeFirst() }
            lines = Array(lines.suffix(limit))
        } else if lines.count > limit {
            lines = Array(lines.prefix(limit))
            let consumed = lines.reduce(0) { $0 + $1.utf8.count + 1 }
            return InstanceLogs(lines: lines, offset: start + consumed)
        }
        return InstanceLogs(lines: lines, offset: start + whole.count)
    }
}

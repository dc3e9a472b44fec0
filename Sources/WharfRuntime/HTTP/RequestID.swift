/// Request ids a caller may choose: every answer, log line and usage event carries the id, so one that
/// could break a header or a log line is replaced by a fresh one.
public enum RequestID {
    /// Up to 128 visible ASCII characters, so a caller cannot inject into logs or headers.
    public static func isSensible(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count) && id.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }
}

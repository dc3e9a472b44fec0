import WharfInfra

extension OutputDirectory.Report {
    /// `written, removed, unchanged` counts in one line.
    var summary: String { "\(changed.count) written, \(removed.count) removed, \(unchanged) unchanged" }

    /// One line per file changed or removed: every one when checking (CI wants the list), and when writing
    /// only up to `limit`, so a fleet-sized generation does not flood the terminal.
    func printFiles(under out: String, check: Bool, limit: Int = 40) {
        guard check || changed.count + removed.count <= limit else { return }
        for path in changed { print("\(check ? "stale" : "wrote") \(out)/\(path)") }
        for path in removed { print("\(check ? "not generated any more" : "removed") \(out)/\(path)") }
    }
}

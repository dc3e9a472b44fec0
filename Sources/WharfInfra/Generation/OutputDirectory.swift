import Foundation

/// Brings a directory of generated files up to date, touching only what changed, so a regeneration with
/// nothing changed writes nothing and `--check` can tell stale output from current.
public struct OutputDirectory: Sendable {
    public let root: URL

    public struct Report: Sendable, Equatable {
        /// Files written (or, when checking, that would be): new or with other contents.
        public var changed: [String] = []
        /// Generated files no longer generated, removed (or, when checking, that would be).
        public var removed: [String] = []
        public var unchanged = 0

        public var isCurrent: Bool { changed.isEmpty && removed.isEmpty }
    }

    public init(root: URL) {
        self.root = root
    }

    /// Writes `files`, and removes generated files (names ending in `suffix`) under `owned` top-level folders
    /// that are no longer generated. With `check`, only reports what it would do.
    public func sync(_ files: [GeneratedFile], owned: Set<String>, suffix: String = ".tf.json", check: Bool) throws -> Report {
        var report = Report()
        let fileManager = FileManager.default
        for file in files {
            let url = root.appending(path: file.path)
            let data = Data(file.contents.utf8)
            if fileManager.contents(atPath: url.path) == data {
                report.unchanged += 1
                continue
            }
            report.changed.append(file.path)
            guard !check else { continue }
            try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
        }
        let generated = Set(files.map(\.path))
        for folder in owned.sorted() {
            for path in Self.generatedFiles(under: root.appending(path: folder), relativeTo: folder, suffix: suffix) where !generated.contains(path) {
                report.removed.append(path)
                if !check { try fileManager.removeItem(at: root.appending(path: path)) }
            }
        }
        return report
    }

    private static func generatedFiles(under folder: URL, relativeTo prefix: String, suffix: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(suffix) }.map { "\(prefix)/\($0)" }.sorted()
    }
}

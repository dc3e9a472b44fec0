import Foundation

/// Finding a program the way a shell does, so a missing tool is named before anything starts.
public enum Executable {
    /// The absolute path of `name` (returned as it is when it holds a slash and is executable) on `searchPath`.
    public static func find(_ name: String, searchPath: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        for folder in (searchPath ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}

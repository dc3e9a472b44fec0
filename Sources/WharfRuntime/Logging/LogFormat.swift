import Logging

/// How a Wharf process writes its logs: `json` (one object per line, the default, for log pipelines) or
/// `text` (swift-log's plain lines, for reading in a terminal).
public enum LogFormat: String, Sendable, CaseIterable {
    case json, text

    /// Installs the process-wide log handler. swift-log allows this once per process, so only executables
    /// call it; libraries and tests log through whatever is installed.
    public func bootstrap(level: Logger.Level) {
        switch self {
        case .json:
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
        case .text:
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}

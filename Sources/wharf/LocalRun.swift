import Foundation
import WharfCore

/// What `wharf msp up` records about a service it runs, so `db connect` and `logs` find it from any
/// directory: in /tmp/wharf-msp-<uid>/<service>-<environment>/, with the local database's data.
struct LocalRun: Codable {
    var pid: Int32
    var port: Int
    /// The local PostgreSQL server, as `postgres://user@host:port`.
    var postgres: String?
    var databases: [String]
    var logFile: String

    static func directory(service: String, environment: String) -> URL {
        URL(filePath: NSTemporaryDirectory()).appending(path: "wharf-msp-\(getuid())/\(service)-\(environment)")
    }

    static func file(service: String, environment: String) -> URL {
        directory(service: service, environment: environment).appending(path: "run.json")
    }

    /// The run of that service, if `up` is running it now.
    static func current(service: String, environment: String) -> LocalRun? {
        guard let data = FileManager.default.contents(atPath: file(service: service, environment: environment).path),
              let run = try? JSONDecoder().decode(LocalRun.self, from: data), kill(run.pid, 0) == 0
        else { return nil }
        return run
    }
}

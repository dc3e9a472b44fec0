import Foundation
import WharfCore

/// A PostgreSQL server for `wharf msp up`, kept in the service's local state directory so its data lives
/// from one run to the next. Run as root (CI, containers), the server runs as the `postgres` user.
struct LocalPostgres {
    let directory: URL
    let port: Int

    /// `pg_ctl` and friends: from PATH, or the newest of Debian's /usr/lib/postgresql/*/bin.
    static func binaries() throws -> URL {
        if let path = LocalTools.which("pg_ctl") { return URL(filePath: path).resolvingSymlinksInPath().deletingLastPathComponent() }
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
        guard let newest = versions.last else {
            throw WharfError(.configuration, "the spec asks for PostgreSQL, and no PostgreSQL server is installed (pg_ctl not on PATH, nothing in \(root)); install it, e.g. apt-get install postgresql")
        }
        return URL(filePath: "\(root)/\(newest)/bin")
    }

    var url: String { "postgres://postgres@127.0.0.1:\(port)" }

    /// Starts the server (creating it on first use) and the databases the spec names.
    func start(databases: [String]) throws {
        let bin = try Self.binaries()
        let data = directory.appending(path: "data")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let asPostgres = getuid() == 0 ? ["runuser", "-u", "postgres", "--"] : []
        if getuid() == 0 { try LocalTools.run(["chown", "-R", "postgres", directory.path]) }
        if !FileManager.default.fileExists(atPath: data.appending(path: "PG_VERSION").path) {
            try LocalTools.run(asPostgres + [bin.appending(path: "initdb").path, "-D", data.path, "-A", "trust", "-U", "postgres", "--no-sync"])
        }
        // A server left running by an `up` that was killed is stopped first: it listens on an old port.
        if (try? LocalTools.run(asPostgres + [bin.appending(path: "pg_ctl").path, "-D", data.path, "status"])) != nil {
            try LocalTools.run(asPostgres + [bin.appending(path: "pg_ctl").path, "-D", data.path, "-m", "fast", "-w", "stop"])
        }
        try LocalTools.run(asPostgres + [
            bin.appending(path: "pg_ctl").path, "-D", data.path, "-l", directory.appending(path: "postgres.log").path, "-w",
            "-o", "-p \(port) -k \(directory.path) -c listen_addresses=127.0.0.1", "start",
        ])
        for database in databases {
            let exists = try LocalTools.output([bin.appending(path: "psql").path, url + "/postgres", "-tAc", "SELECT 1 FROM pg_database WHERE datname = '\(database)'"])
            if exists.trimmingCharacters(in: .whitespacesAndNewlines) != "1" {
                try LocalTools.run([bin.appending(path: "psql").path, url + "/postgres", "-qc", "CREATE DATABASE \"\(database)\""])
            }
        }
    }

    func stop() {
        guard let bin = try? Self.binaries() else { return }
        let asPostgres = getuid() == 0 ? ["runuser", "-u", "postgres", "--"] : []
        try? LocalTools.run(asPostgres + [bin.appending(path: "pg_ctl").path, "-D", directory.appending(path: "data").path, "-m", "fast", "-w", "stop"])
    }
}

import Foundation
import WharfCore

/// Finds the master key: from the configuration (environment), else from `<data dir>/master.key`, which is
/// created with mode 0600 on first start. Losing that file makes sealed secrets unreadable, so it is
/// never overwritten.
enum MasterKey {
    static func load(_ configuration: ServerConfiguration) throws -> SecretBox {
        if let key = configuration.masterKey { return try SecretBox(base64Key: key) }
        let path = (configuration.dataDirectory as NSString).appendingPathComponent("master.key")
        let files = FileManager.default
        if !files.fileExists(atPath: path) {
            try files.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let created = files.createFile(atPath: path, contents: Data((SecretBox.generateBase64Key() + "\n").utf8), attributes: [.posixPermissions: 0o600])
            guard created else { throw WharfError(.configuration, "cannot write the master key file \(path); check the directory's permissions") }
        }
        guard let text = files.contents(atPath: path).map({ String(decoding: $0, as: UTF8.self) }) else {
            throw WharfError(.configuration, "cannot read the master key file \(path)")
        }
        do {
            return try SecretBox(base64Key: text)
        } catch {
            throw WharfError(.configuration, "\(path): \(error.message)")
        }
    }
}

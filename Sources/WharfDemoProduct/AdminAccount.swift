import Crypto
import Foundation
import SQLKit
import WharfRuntime

/// The product's one admin account: its e-mail comes from the environment (Wharf's instance record), its
/// password is set through a reset link and kept as a scrypt hash. Sign-ins get an HMAC-signed session
/// cookie whose key lives only in this process, so a restart signs everyone out.
struct AdminAccount: Sendable {
    let database: any DatabaseEngine
    let email: String
    /// Raw bytes (SymmetricKey is not Sendable); made per process, so a restart ends every session.
    let sessionKey: [UInt8] = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
    static let sessionLifetime: TimeInterval = 8 * 3600

    func passwordIsSet() async throws -> Bool { try await storedHash() != nil }

    func signIn(email: String, password: String, now: Date) async throws -> String? {
        guard email.lowercased() == self.email.lowercased(), let stored = try await storedHash(), PasswordHash.verify(password, against: stored) else { return nil }
        return session(until: now.addingTimeInterval(Self.sessionLifetime))
    }

    func setPassword(_ password: String, now: Date) async throws {
        let hash = try PasswordHash.make(password)
        try await database.transaction { [email] db in
            try await db.delete(from: "admin_account").run()
            try await db.insert(into: "admin_account").columns("id", "email", "password_hash", "updated_ms")
                .values(SQLBind(1), SQLBind(email), SQLBind(hash), SQLBind(Int64(now.timeIntervalSince1970 * 1000))).run()
        }
    }

    /// `expiry.signature`: valid while unexpired and signed with this process's key.
    func session(until expiry: Date) -> String {
        let expiryText = String(Int64(expiry.timeIntervalSince1970))
        let signature = HMAC<SHA256>.authenticationCode(for: Array(expiryText.utf8), using: SymmetricKey(data: sessionKey))
        return expiryText + "." + Data(signature).base64EncodedString().replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
    }

    func isValid(session cookie: String, now: Date) -> Bool {
        let parts = cookie.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, let expiry = Int64(parts[0]), TimeInterval(expiry) > now.timeIntervalSince1970 else { return false }
        let expected = session(until: Date(timeIntervalSince1970: TimeInterval(expiry)))
        return expected.utf8.count == cookie.utf8.count && zip(expected.utf8, cookie.utf8).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private func storedHash() async throws -> String? {
        try await database.read { db in
            try await db.select().column("password_hash").from("admin_account").first()?.decode(column: "password_hash", as: String.self)
        }
    }
}

import Crypto
import HTTPTypes
import Hummingbird
import WharfCore
import WharfProviders
import WharfStore

/// What every route handler needs: the store, the provider instances run on, and the body limit.
struct Handlers: Sendable {
    let store: Store
    let provider: any Provider
    let maxBodyBytes: Int

    func body<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> (value: T, bytes: [UInt8]) {
        try await JSONBody.decode(type, from: request, limit: maxBodyBytes)
    }

    /// The `Idempotency-Key` of a POST, scoped to the caller and bound to the exact request.
    func idempotencyKey(_ request: Request, actor: Actor, body: [UInt8]) throws(WharfError) -> IdempotencyKey? {
        guard let key = request.headers[HTTPField.Name("Idempotency-Key")!] else { return nil }
        guard (1...255).contains(key.utf8.count), key.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw WharfError.invalid([FieldError("Idempotency-Key", "invalid_header", "must be 1 to 255 printable ASCII characters without spaces")])
        }
        var hasher = SHA256()
        hasher.update(data: Array("\(request.method.rawValue) \(request.uri.path)\n".utf8))
        hasher.update(data: body)
        return IdempotencyKey(scope: actor.id, key: key, fingerprint: Hex.encode(hasher.finalize()))
    }

    /// 201 with the record and its location; a replay says so in `Idempotent-Replayed`.
    func created<T: Codable & Sendable>(_ created: Created<T>, location: String) throws -> Response {
        var headers: HTTPFields = [.location: location]
        if created.replayed { headers[HTTPField.Name("Idempotent-Replayed")!] = "true" }
        return try JSONResponse.make(created.value, status: .created, headers: headers)
    }

    static func queryParameters(_ request: Request) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { result[String(key)] = String(value) }
        return result
    }
}

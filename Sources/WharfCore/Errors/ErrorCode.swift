/// Stable, machine-readable error codes. Clients branch on these, never on messages.
public struct ErrorCode: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public static let validationFailed: ErrorCode = "validation_failed"
    public static let malformedJSON: ErrorCode = "malformed_json"
    public static let payloadTooLarge: ErrorCode = "payload_too_large"
    public static let unsupportedMediaType: ErrorCode = "unsupported_media_type"
    public static let notFound: ErrorCode = "not_found"
    public static let conflict: ErrorCode = "conflict"
    public static let illegalTransition: ErrorCode = "illegal_transition"
    public static let unauthorized: ErrorCode = "unauthorized"
    public static let forbidden: ErrorCode = "forbidden"
    public static let idempotencyKeyReused: ErrorCode = "idempotency_key_reused"
    public static let methodNotAllowed: ErrorCode = "method_not_allowed"
    public static let schemaTooNew: ErrorCode = "schema_too_new"
    public static let configuration: ErrorCode = "configuration"
    public static let storage: ErrorCode = "storage"
    public static let unreachable: ErrorCode = "unreachable"
    public static let internalError: ErrorCode = "internal"
}

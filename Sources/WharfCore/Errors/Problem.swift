/// An RFC 9457 problem detail (`application/problem+json`) with Wharf's extension members `code` and
/// `errors`. Shared by the server, which renders it, and the client, which parses it.
public struct Problem: Codable, Sendable, Equatable {
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    public var instance: String?
    public var code: String
    public var errors: [FieldError]?

    public init(status: Int, title: String, error: WharfError, instance: String? = nil) {
        self.type = "https://wharf.dev/problems/\(error.code.rawValue)"
        self.title = title
        self.status = status
        self.detail = error.message
        self.instance = instance
        self.code = error.code.rawValue
        self.errors = error.fieldErrors.isEmpty ? nil : error.fieldErrors
    }

    /// The problem as a `WharfError`, so a client can throw what the server threw.
    public var wharfError: WharfError {
        WharfError(ErrorCode(rawValue: code), detail, fieldErrors: errors ?? [])
    }
}

/// The one error type Wharf's own code throws: a stable machine-readable code, a message that says what to
/// do, the invalid fields (for validation problems) and an optional underlying cause.
///
/// The API renders it as an RFC 9457 problem detail; the CLI prints it as one line plus the field problems.
public struct WharfError: Error, Sendable, CustomStringConvertible {
    public var code: ErrorCode
    public var message: String
    public var fieldErrors: [FieldError]
    public var cause: (any Error & Sendable)?

    public init(_ code: ErrorCode, _ message: String, fieldErrors: [FieldError] = [], cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.fieldErrors = fieldErrors
        self.cause = cause
    }

    public var description: String {
        var text = "\(code.rawValue): \(message)"
        for field in fieldErrors { text += "\n  \(field.field): \(field.message)" }
        return text
    }

    /// A validation failure listing every invalid field at once.
    public static func invalid(_ fieldErrors: [FieldError]) -> WharfError {
        let count = fieldErrors.count
        return WharfError(.validationFailed, "\(count) invalid field\(count == 1 ? "" : "s")", fieldErrors: fieldErrors)
    }

    public static func notFound(_ what: String, _ key: String) -> WharfError {
        WharfError(.notFound, "no \(what) named '\(key)'")
    }
}

/// Collects every field problem of one input so a user sees them all at once, not one per attempt.
public struct Validator: Sendable {
    public private(set) var errors: [FieldError] = []

    public init() {}

    public mutating func add(_ field: String, _ code: String, _ message: String) {
        errors.append(FieldError(field, code, message))
    }

    /// Runs a parser and records its error against `field`; returns nil when the value was invalid.
    public mutating func check<T>(_ field: String, _ parse: () throws(FieldProblem) -> T) -> T? {
        do {
            return try parse()
        } catch {
            add(field, error.code, error.message)
            return nil
        }
    }

    /// Throws a `validation_failed` error when anything was recorded.
    public func finish() throws(WharfError) {
        if !errors.isEmpty { throw WharfError.invalid(errors) }
    }
}

/// What a single-value parser throws; the `Validator` attaches the field path.
public struct FieldProblem: Error, Sendable, Equatable {
    public var code: String
    public var message: String
    public init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }
}

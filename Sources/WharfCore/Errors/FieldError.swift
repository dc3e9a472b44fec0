/// One invalid field: where (a dotted path such as `maintenanceWindow.startHour` or `ingressAllowlist[2]`),
/// a machine-readable code and a message a person can act on.
public struct FieldError: Codable, Sendable, Equatable {
    public var field: String
    public var code: String
    public var message: String

    public init(_ field: String, _ code: String, _ message: String) {
        self.field = field
        self.code = code
        self.message = message
    }
}

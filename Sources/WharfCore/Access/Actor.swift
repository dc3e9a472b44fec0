/// Who is acting: the identity recorded on every audit entry.
public struct Actor: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var role: Role

    public init(id: String, name: String, role: Role) {
        self.id = id
        self.name = name
        self.role = role
    }

    /// Wharf itself (migrations, first start, the reconciler).
    public static let system = Actor(id: "system", name: "wharf", role: .admin)

    /// The form written to the audit log: `token:ID (name)`, or `system`.
    public var auditName: String { id == "system" ? "system" : "token:\(id) (\(name))" }
}

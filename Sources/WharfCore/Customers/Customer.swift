import Foundation

/// A customer of the vendor; it owns one or more instances. Its `id` is a short handle (same rules as an
/// instance slug) so people can type it.
public struct Customer: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var contactEmail: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: String, name: String, contactEmail: String?, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.name = name
        self.contactEmail = contactEmail
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    static func parseName(_ name: String) throws(FieldProblem) -> String {
        let trimmed = name.trimmingWhitespace()
        guard !trimmed.isEmpty, name.count <= 100 else {
            throw FieldProblem("invalid_length", "must be 1 to 100 characters and not only spaces, got \(name.count)")
        }
        return trimmed
    }
}

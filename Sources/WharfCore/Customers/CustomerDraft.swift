import Foundation

/// The input that creates a customer.
public struct CustomerDraft: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    public var contactEmail: String?

    public init(id: String, name: String, contactEmail: String? = nil) {
        self.id = id
        self.name = name
        self.contactEmail = contactEmail
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case id, name, contactEmail }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        contactEmail = try c.decodeIfPresent(String.self, forKey: .contactEmail)
    }

    public func validated(now: Date) throws(WharfError) -> Customer {
        var v = Validator()
        let id = v.check("id") { () throws(FieldProblem) in try Slug.parse(self.id) } ?? self.id
        let name = v.check("name") { () throws(FieldProblem) in try Customer.parseName(self.name) } ?? self.name
        let email = contactEmail.map { email in v.check("contactEmail") { () throws(FieldProblem) in try EmailAddress.parse(email) } ?? email }
        try v.finish()
        return Customer(id: id, name: name, contactEmail: email, createdAt: now, updatedAt: now)
    }
}

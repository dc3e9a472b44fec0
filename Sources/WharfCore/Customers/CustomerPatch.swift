import Foundation

/// A partial update of a customer; `id` is immutable.
public struct CustomerPatch: Codable, Sendable, Equatable {
    public var name: String?
    public var contactEmail: String?
    var triedToChangeID = false

    public init(name: String? = nil, contactEmail: String? = nil) {
        self.name = name
        self.contactEmail = contactEmail
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, contactEmail, id }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        contactEmail = try c.decodeIfPresent(String.self, forKey: .contactEmail)
        triedToChangeID = c.contains(.id)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(name, forKey: .name)
        try c.encodeIfPresent(contactEmail, forKey: .contactEmail)
    }

    public func applied(to current: Customer, now: Date) throws(WharfError) -> Customer {
        var v = Validator()
        if triedToChangeID { v.add("id", "immutable", "cannot be changed: it is fixed when the customer is created") }
        var next = current
        if let name { next.name = v.check("name") { () throws(FieldProblem) in try Customer.parseName(name) } ?? name }
        if let contactEmail {
            next.contactEmail = v.check("contactEmail") { () throws(FieldProblem) in try EmailAddress.parse(contactEmail) } ?? contactEmail
        }
        try v.finish()
        if next != current { next.updatedAt = now }
        return next
    }
}

import Foundation
import WharfCore

/// Small, valid inputs that tests change one member at a time.
public enum Fixtures {
    public static let operatorActor = Actor(id: "op1", name: "test operator", role: .operator)
    public static let adminActor = Actor(id: "ad1", name: "test admin", role: .admin)
    public static let requesterActor = Actor(id: "rq1", name: "test requester", role: .requester)

    public static func customer(_ id: String = "acme") -> CustomerDraft {
        CustomerDraft(id: id, name: "Acme \(id)", contactEmail: "ops@\(id).example.com")
    }

    public static func instance(_ slug: String = "acme-prod", customer: String = "acme", plan: Plan = .business) -> InstanceDraft {
        InstanceDraft(slug: slug, customerID: customer, plan: plan, productVersion: "5.2.0", adminEmail: "admin@acme.example.com")
    }
}

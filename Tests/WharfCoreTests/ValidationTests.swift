import Foundation
import Testing
import WharfCore

@Suite("Validation")
struct ValidationTests {
    @Test("slugs are DNS labels of 3 to 30 characters", arguments: [
        ("acme", true), ("a-1", true), (String(repeating: "a", count: 30), true),
        ("ab", false), (String(repeating: "a", count: 31), false), ("Acme", false), ("-acme", false), ("acme-", false), ("ac_me", false), ("ac.me", false),
    ])
    func slugs(text: String, valid: Bool) {
        #expect(((try? Slug.parse(text)) != nil) == valid)
    }

    @Test("CIDRs are normalised", arguments: [
        ("10.1.2.3/8", "10.0.0.0/8"), ("192.168.1.7", "192.168.1.7/32"), ("2001:DB8:0:0::1/32", "2001:db8::/32"),
        (" 203.0.113.0/24 ", "203.0.113.0/24"), ("::1", "::1/128"), ("0.0.0.0/0", "0.0.0.0/0"),
    ])
    func cidrs(text: String, normalised: String) throws {
        #expect(try CIDR.parse(text) == normalised)
    }

    @Test("bad CIDRs are refused", arguments: ["10.0.0.0/33", "300.1.1.1", "10.0.0.0/8/1", "2001:db8::/129", "10.0.0.0/-1", "", "abc"])
    func badCIDRs(text: String) {
        #expect(throws: FieldProblem.self) { try CIDR.parse(text) }
    }

    @Test("domains and e-mail addresses")
    func domainsAndEmail() throws {
        #expect(try DomainName.parse("Code.Example.COM.") == "code.example.com")
        #expect(throws: FieldProblem.self) { try DomainName.parse("localhost") }
        #expect(throws: FieldProblem.self) { try DomainName.parse("-bad.example.com") }
        #expect(throws: FieldProblem.self) { try DomainName.parse("example.123") }
        #expect(try EmailAddress.parse("Admin@Example.COM") == "Admin@example.com")
        #expect(throws: FieldProblem.self) { try EmailAddress.parse("admin") }
        #expect(throws: FieldProblem.self) { try EmailAddress.parse("a@b@example.com") }
    }

    @Test("a draft reports every invalid field at once, with its path")
    func everyField() {
        var draft = InstanceDraft(slug: "X", customerID: "acme", plan: .business, productVersion: "5", adminEmail: "nope")
        draft.executors = 3
        draft.ingressAllowlist = ["10.0.0.0/8", "10.1.0.0/8"]
        draft.maintenanceWindow = MaintenanceWindow(day: .sunday, startHour: 24, durationHours: 2)
        let error = #expect(throws: WharfError.self) { try draft.validated(now: Date(), baseDomain: "wharf.test") }
        #expect(error?.fieldErrors.map(\.field) == ["slug", "productVersion", "adminEmail", "ingressAllowlist[1]", "executors", "maintenanceWindow.startHour"])
    }

    @Test("plan limits: business allows 2 executors, enterprise 4")
    func planLimits() throws {
        var draft = InstanceDraft(slug: "acme", customerID: "acme", plan: .enterprise, productVersion: "5.2.0", adminEmail: "a@acme.com")
        draft.executors = 4
        let (instance, _) = try draft.validated(now: Date(), baseDomain: "wharf.test")
        let error = #expect(throws: WharfError.self) { try InstancePatch(plan: .business).applied(to: instance, now: Date()) }
        #expect(error?.fieldErrors.map(\.field) == ["executors"])
    }

    @Test("trials need a future expiry; converting to production clears it")
    func trials() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var draft = InstanceDraft(slug: "trial-1", customerID: "acme", plan: .business, productVersion: "5.2.0", adminEmail: "a@acme.com", type: .trial)
        #expect(throws: WharfError.self) { try draft.validated(now: now, baseDomain: "wharf.test") }
        draft.trialExpiresAt = now.addingTimeInterval(-1)
        #expect(throws: WharfError.self) { try draft.validated(now: now, baseDomain: "wharf.test") }
        draft.trialExpiresAt = now.addingTimeInterval(86_400 * 14)
        let (trial, _) = try draft.validated(now: now, baseDomain: "wharf.test")
        let converted = try InstancePatch(type: .production).applied(to: trial, now: now).instance
        #expect(converted.type == .production && converted.trialExpiresAt == nil)
    }
}

import Foundation
import SQLKit
import Testing
import WharfCore
import WharfRuntime
import WharfTesting

@testable import WharfStore

@Suite("Registry")
struct RegistryTests {
    let actor = Fixtures.operatorActor

    @Test("creates a customer and an instance and reads them back", arguments: TestStore.engines)
    func createAndRead(engine: EngineKind) async throws {
        try await TestStore.with(engine) { store in
            _ = try await store.createCustomer(Fixtures.customer(), actor: actor)
            var draft = Fixtures.instance()
            draft.ingressAllowlist = ["10.1.2.3/8", "2001:DB8::1/32"]
            let created = try await store.createInstance(draft, actor: actor).value
            #expect(created.state == .requested)
            #expect(created.defaultDomain == "acme-prod.wharf.test")
            #expect(created.ingressAllowlist == ["10.0.0.0/8", "2001:db8::/32"])
            #expect(created.customerName == "Acme acme")
            #expect(try await store.instance(slug: "acme-prod") == created)
        }
    }

    @Test("seals the licence key at rest and shows only a fingerprint", arguments: TestStore.engines)
    func licenceKeySealed(engine: EngineKind) async throws {
        try await TestStore.with(engine) { store in
            _ = try await store.createCustomer(Fixtures.customer(), actor: actor)
            var draft = Fixtures.instance()
            draft.licenceKey = "LICENCE-SECRET-0123456789"
            let created = try await store.createInstance(draft, actor: actor).value
            #expect(created.licenceKeyFingerprint == LicenceKey.fingerprint("LICENCE-SECRET-0123456789"))
            let raw = try await store.read { db in
                try await db.select().columns("doc", "licence_key_sealed").from("wharf_instances").first()!
            }
            let sealed = try raw.decode(column: "licence_key_sealed", as: Data.self)
            #expect(!String(decoding: sealed, as: UTF8.self).contains("LICENCE-SECRET"))
            #expect(!(try raw.decode(column: "doc", as: String.self)).contains("LICENCE-SECRET"))
            let audit = try await store.auditEntries().items.map(\.detail).joined()
            #expect(!audit.contains("LICENCE-SECRET"))
            #expect(try await store.licenceKey(slug: "acme-prod") == "LICENCE-SECRET-0123456789")
        }
    }

    @Test("refuses a taken slug and an unknown customer, writing nothing", arguments: TestStore.engines)
    func conflicts(engine: EngineKind) async throws {
        try await TestStore.with(engine) { store in
            _ = try await store.createCustomer(Fixtures.customer(), actor: actor)
            _ = try await store.createInstance(Fixtures.instance(), actor: actor)
            let taken = await #expect(throws: WharfError.self) { try await store.createInstance(Fixtures.instance(), actor: actor) }
            #expect(taken?.code == .conflict)
            let unknown = await #expect(throws: WharfError.self) {
                try await store.createInstance(Fixtures.instance("other-one", customer: "nobody"), actor: actor)
            }
            #expect(unknown?.code == .validationFailed)
            #expect(unknown?.fieldErrors.map(\.field) == ["customerId"])
            #expect(try await store.auditEntries().items.count == 2)
        }
    }

    @Test("fifty concurrent creates of one slug: exactly one succeeds", arguments: TestStore.engines)
    func concurrentCreates(engine: EngineKind) async throws {
        try await TestStore.with(engine) { store in
            _ = try await store.createCustomer(Fixtures.customer(), actor: actor)
            let outcomes = try await withThrowingTaskGroup(of: ErrorCode?.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        do {
                            _ = try await store.createInstance(Fixtures.instance("race"), actor: actor)
                            return nil
                        } catch let error as WharfError {
                            return error.code
                        }
                    }
                }
                return try await group.reduce(into: [ErrorCode?]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == nil }.count == 1)
            #expect(outcomes.filter { $0 == .conflict }.count == 49)
            #expect(try await store.verifyAudit().intact)
        }
    }

    @Test("lists with filters and cursor pages that cover every instance once", arguments: TestStore.engines)
    func listAndPage(engine: EngineKind) async throws {
        try await TestStore.with(engine) { store in
            _ = try await store.createCustomer(Fixtures.customer("acme"), actor: actor)
            _ = try await store.createCustomer(Fixtures.customer("globex"), actor: actor)
            for index in 0..<23 {
                let customer = index % 3 == 0 ? "globex" : "acme"
                _ = try await store.createInstance(Fixtures.instance("inst-\(index)", customer: customer, plan: index % 2 == 0 ? .enterprise : .business), actor: actor)
            }
            _ = try await store.applyEvent(slug: "inst-4", InstanceEventRequest(event: .startProvisioning), actor: actor)

            var seen: [String] = []
            var query = InstanceQuery(limit: 5)
            while true {
                let page = try await store.instances(query)
                seen += page.items.map(\.slug)
                guard let cursor = page.nextCursor else { break }
                query.after = try Cursor.decode(cursor)
            }
            #expect(seen == (0..<23).map { "inst-\($0)" }.sorted())

            let enterpriseGlobex = try await store.instances(InstanceQuery(plan: .enterprise, customerID: "globex", limit: 100)).items.map(\.slug)
            #expect(enterpriseGlobex == ["inst-0", "inst-12", "inst-18", "inst-6"])
            #expect(try await store.instances(InstanceQuery(state: .provisioning)).items.map(\.slug) == ["inst-4"])
            #expect(try await store.instances(InstanceQuery(channel: .pinned)).items.isEmpty)
        }
    }

    @Test("stored documents are the API form, and renaming a customer renames it in its instances", arguments: TestStore.engines)
    func documentsStayCurrent(engine: EngineKind) async throws {
        try await TestStore.with(engine) { store in
            _ = try await store.createCustomer(Fixtures.customer("acme"), actor: actor)
            _ = try await store.createCustomer(Fixtures.customer("globex"), actor: actor)
            for slug in ["acme-one", "acme-two"] { _ = try await store.createInstance(Fixtures.instance(slug, customer: "acme"), actor: actor) }
            _ = try await store.createInstance(Fixtures.instance("globex-one", customer: "globex"), actor: actor)

            _ = try await store.updateCustomer(id: "acme", CustomerPatch(name: "Acme Renamed"), actor: actor)
            let documents = try await store.instanceDocuments(InstanceQuery(limit: 2))
            let typed = try await store.instances(InstanceQuery(limit: 2))
            #expect(try documents.items.map { try $0.decode(Instance.self) } == typed.items)
            #expect(documents.nextCursor == typed.nextCursor && typed.nextCursor != nil)
            #expect(typed.items.map(\.customerName) == ["Acme Renamed", "Acme Renamed"])
            #expect(try await store.instance(slug: "acme-two").customerName == "Acme Renamed")
            #expect(try await store.instance(slug: "globex-one").customerName == "Acme globex")
        }
    }

    @Test("updates mutable members, audits the difference, refuses immutable ones", arguments: TestStore.engines)
    func update(engine: EngineKind) async throws {
        let clock = TestClock()
        try await TestStore.with(engine, clock: clock) { store in
            _ = try await store.createCustomer(Fixtures.customer(), actor: actor)
            _ = try await store.createInstance(Fixtures.instance(), actor: actor)
            clock.advance(by: 60)
            let updated = try await store.updateInstance(slug: "acme-prod", InstancePatch(channel: .fast, executors: 2), actor: actor)
            #expect(updated.channel == .fast && updated.executors == 2)
            #expect(updated.updatedAt > updated.createdAt)
            let entry = try #require(try await store.auditEntries(target: "instance:acme-prod").items.last)
            #expect(entry.action == "instance.update")
            let detail = try JSONDecoder().decode(JSONValue.self, from: Data(entry.detail.utf8))
            #expect(detail == .object(["changes": .object([
                "channel": .object(["from": .string("stable"), "to": .string("fast")]),
                "executors": .object(["from": .number(1), "to": .number(2)]),
            ])]))

            let tooMany = await #expect(throws: WharfError.self) {
                try await store.updateInstance(slug: "acme-prod", InstancePatch(executors: 3), actor: actor)
            }
            #expect(tooMany?.fieldErrors.map(\.field) == ["executors"])
            let patch = try JSONDecoder().decode(InstancePatch.self, from: Data(#"{"slug":"new-name","telemetry":false}"#.utf8))
            let immutable = await #expect(throws: WharfError.self) { try await store.updateInstance(slug: "acme-prod", patch, actor: actor) }
            #expect(immutable?.fieldErrors.map(\.code) == ["immutable"])
            #expect(try await store.instance(slug: "acme-prod") == updated)
            #expect(try await store.auditEntries().items.count == 3)
        }
    }

    @Test("a custom domain is verified by its token once, and only for one instance", arguments: TestStore.engines)
    func domainVerification(engine: EngineKind) async throws {
        try await TestStore.with(engine) { store in
            _ = try await store.createCustomer(Fixtures.customer(), actor: actor)
            for slug in ["acme-prod", "acme-test"] {
                var draft = Fixtures.instance(slug)
                draft.customDomains = ["shop.acme.example", "acme-one.wharf.test"]
                _ = try await store.createInstance(draft, actor: actor)
            }
            _ = try await store.createInstance(Fixtures.instance("acme-one"), actor: actor)
            let prod = try await store.instance(slug: "acme-prod")
            let test = try await store.instance(slug: "acme-test")
            #expect(prod.customDomains[0].verificationToken != test.customDomains[0].verificationToken)

            let wrong = await #expect(throws: WharfError.self) {
                try await store.verifyCustomDomain(slug: "acme-prod", domain: "shop.acme.example", DomainVerificationRequest(token: test.customDomains[0].verificationToken), actor: actor)
            }
            #expect(wrong?.fieldErrors.map(\.field) == ["token"])
            let verified = try await store.verifyCustomDomain(
                slug: "acme-prod", domain: "SHOP.acme.example", DomainVerificationRequest(token: prod.customDomains[0].verificationToken), actor: actor
            )
            #expect(verified.customDomains[0].verification == .verified && verified.customDomains[0].verifiedAt != nil)
            let audited = try await store.auditEntries(target: "instance:acme-prod").items.count
            #expect(try await store.verifyCustomDomain(
                slug: "acme-prod", domain: "shop.acme.example", DomainVerificationRequest(token: prod.customDomains[0].verificationToken), actor: actor
            ) == verified)
            #expect(try await store.auditEntries(target: "instance:acme-prod").items.count == audited)

            let taken = await #expect(throws: WharfError.self) {
                try await store.verifyCustomDomain(slug: "acme-test", domain: "shop.acme.example", DomainVerificationRequest(token: test.customDomains[0].verificationToken), actor: actor)
            }
            #expect(taken?.code == .conflict && taken?.message.contains("acme-prod") == true)
            let defaultDomain = await #expect(throws: WharfError.self) {
                try await store.verifyCustomDomain(slug: "acme-test", domain: "acme-one.wharf.test", DomainVerificationRequest(token: test.customDomains[1].verificationToken), actor: actor)
            }
            #expect(defaultDomain?.code == .conflict)
            #expect(try await store.instance(slug: "acme-test") == test)
            let missing = await #expect(throws: WharfError.self) {
                try await store.verifyCustomDomain(slug: "acme-one", domain: "shop.acme.example", DomainVerificationRequest(token: "x"), actor: actor)
            }
            #expect(missing?.code == .notFound)
        }
    }

    @Test("drives the lifecycle and refuses illegal transitions", arguments: TestStore.engines)
    func lifecycle(engine: EngineKind) async throws {
        try await TestStore.with(engine) { store in
            _ = try await store.createCustomer(Fixtures.customer(), actor: actor)
            _ = try await store.createInstance(Fixtures.instance(), actor: actor)
            let illegal = await #expect(throws: WharfError.self) {
                try await store.applyEvent(slug: "acme-prod", InstanceEventRequest(event: .suspend), actor: actor)
            }
            #expect(illegal?.code == .illegalTransition)
            for event in [LifecycleEvent.startProvisioning, .provisioned, .suspend, .resume] {
                _ = try await store.applyEvent(slug: "acme-prod", InstanceEventRequest(event: event), actor: actor)
            }
            #expect(try await store.instance(slug: "acme-prod").state == .active)
            let unconfirmed = await #expect(throws: WharfError.self) {
                try await store.applyEvent(slug: "acme-prod", InstanceEventRequest(event: .tearDown, confirm: "acme"), actor: actor)
            }
            #expect(unconfirmed?.fieldErrors.map(\.field) == ["confirm"])
            let torn = try await store.applyEvent(slug: "acme-prod", InstanceEventRequest(event: .tearDown, confirm: "acme-prod"), actor: actor)
            #expect(torn.state == .tearingDown)
            let history = try await store.auditEntries(target: "instance:acme-prod").items.map(\.action)
            #expect(history == ["instance.create", "instance.start_provisioning", "instance.provisioned", "instance.suspend", "instance.resume", "instance.tear_down"])
        }
    }

    @Test("a retried create with the same idempotency key returns the first result", arguments: TestStore.engines)
    func idempotency(engine: EngineKind) async throws {
        try await TestStore.with(engine) { store in
            _ = try await store.createCustomer(Fixtures.customer(), actor: actor)
            let key = IdempotencyKey(scope: "op1", key: "k-1", fingerprint: "f1")
            let first = try await store.createInstance(Fixtures.instance(), actor: actor, idempotency: key)
            let again = try await store.createInstance(Fixtures.instance(), actor: actor, idempotency: key)
            #expect(!first.replayed && again.replayed)
            #expect(first.value == again.value)
            let reused = await #expect(throws: WharfError.self) {
                try await store.createInstance(Fixtures.instance("other-one"), actor: actor, idempotency: IdempotencyKey(scope: "op1", key: "k-1", fingerprint: "f2"))
            }
            #expect(reused?.code == .idempotencyKeyReused)
            #expect(try await store.auditEntries().items.count == 2)
        }
    }
}

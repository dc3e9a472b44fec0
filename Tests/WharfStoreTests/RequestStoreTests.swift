import Foundation
import SQLKit
import Testing
import WharfCore
import WharfRuntime
import WharfTesting

@testable import WharfStore

@Suite("Lifecycle requests in the store")
struct RequestStoreTests {
    let requester = Fixtures.requesterActor
    let operatorActor = Fixtures.operatorActor
    let admin = Fixtures.adminActor

    /// A customer and one active instance of `type`.
    func activeInstance(_ store: Store, _ slug: String = "acme-prod", type: InstanceType = .production) async throws {
        if (try? await store.customer(id: "acme")) == nil { _ = try await store.createCustomer(Fixtures.customer(), actor: operatorActor) }
        var draft = Fixtures.instance(slug)
        draft.type = type
        if type == .trial { draft.trialExpiresAt = store.now().addingTimeInterval(30 * 86_400) }
        _ = try await store.createInstance(draft, actor: operatorActor)
        for event in [LifecycleEvent.startProvisioning, .provisioned] {
            _ = try await store.applyEvent(slug: slug, InstanceEventRequest(event: event), actor: .system)
        }
    }

    func submit(_ store: Store, _ kind: RequestKind, _ parameters: RequestParameters = RequestParameters(), on slug: String = "acme-prod", by actor: Actor? = nil) async throws -> LifecycleRequest {
        try await store.submitRequest(RequestSubmission(kind: kind, instance: slug, parameters: parameters), actor: actor ?? requester).value
    }

    func events(_ store: Store, request id: String) async throws -> [String] {
        try await store.read { db in
            try await db.select().column("event").from("wharf_request_events").where("request_id", .equal, SQLBind(id)).orderBy("id").all()
                .map { try $0.decode(column: "event", as: String.self) }
        }
    }

    @Test("a self-service registry change is approved, applied and done on submission, every step audited", arguments: TestStore.engines)
    func selfServiceDone(engine: EngineKind) async throws {
        try await TestStore.with(engine) { store in
            try await activeInstance(store)
            let request = try await submit(store, .enableAIGateway)
            #expect(request.state == .done)
            #expect(request.transitions.map(\.state) == [.submitted, .approved, .inProgress, .done])
            #expect(request.transitions[0].actor == requester.auditName && request.transitions[1].actor == "system")
            #expect(try await store.instance(slug: "acme-prod").aiGatewayAccess)
            let actions = try await store.auditEntries(target: "request:\(request.id)").items.map(\.action)
            #expect(actions == ["request.submit", "request.approve", "request.start", "request.complete"])
            let instanceAudit = try await store.auditEntries(target: "instance:acme-prod").items.last!
            #expect(instanceAudit.detail.contains(request.id) && instanceAudit.detail.contains("aiGatewayAccess"))
            #expect(try await events(store, request: request.id) == ["approved", "done", "submitted"])
            #expect(try await store.verifyAudit().intact)
        }
    }

    @Test("create_instance and create_trial make the instance and wait for the reconciler", arguments: TestStore.engines)
    func creates(engine: EngineKind) async throws {
        let clock = TestClock()
        try await TestStore.with(engine, clock: clock) { store in
            _ = try await store.createCustomer(Fixtures.customer(), actor: operatorActor)
            let create = try await store.submitRequest(RequestSubmission(kind: .createInstance, parameters: RequestParameters(instance: Fixtures.instance("acme-new"))), actor: requester).value
            #expect(create.state == .inProgress && create.instance == "acme-new")
            #expect(try await store.instance(slug: "acme-new").state == .requested)
            var trial = Fixtures.instance("acme-trial")
            trial.trialExpiresAt = clock.now().addingTimeInterval(14 * 86_400)
            let trialRequest = try await store.submitRequest(RequestSubmission(kind: .createTrial, parameters: RequestParameters(instance: trial)), actor: requester).value
            #expect(try await store.instance(slug: "acme-trial").type == .trial)
            #expect(trialRequest.resolutionDue != nil)

            // Nothing observed yet: still in progress. Observed running and healthy: done.
            #expect(try await store.completeSatisfiedRequests(slug: "acme-new", observed: nil).isEmpty)
            #expect(try await store.completeSatisfiedRequests(slug: "acme-new", observed: ObservedInstance(process: .running, healthy: false)).isEmpty)
            let done = try await store.completeSatisfiedRequests(slug: "acme-new", observed: ObservedInstance(process: .running, healthy: true))
            #expect(done.map(\.id) == [create.id])
            #expect(try await store.request(id: create.id).state == .done)

            let taken = await #expect(throws: WharfError.self) {
                try await store.submitRequest(RequestSubmission(kind: .createInstance, parameters: RequestParameters(instance: Fixtures.instance("acme-new"))), actor: requester)
            }
            #expect(taken?.code == .conflict && taken?.fieldErrors.map(\.field) == ["parameters.instance.slug"])
            let badDraft = await #expect(throws: WharfError.self) {
                var draft = Fixtures.instance("acme-x", customer: "nobody")
                draft.executors = 9
                return try await store.submitRequest(RequestSubmission(kind: .createInstance, parameters: RequestParameters(instance: draft)), actor: requester)
            }
            #expect(badDraft?.fieldErrors.map(\.field) == ["parameters.instance.executors"])
        }
    }

    @Test("suspending a production instance: requesters and operators may not approve, an admin may", arguments: TestStore.engines)
    func productionSuspendNeedsAdmin(engine: EngineKind) async throws {
        try await TestStore.with(engine) { store in
            try await activeInstance(store)
            let request = try await submit(store, .suspend, RequestParameters(reason: "customer asked"))
            #expect(request.state == .submitted && request.responseDue != nil && request.resolutionDue != nil)
            for actor in [requester, operatorActor] {
                let refused = await #expect(throws: WharfError.self) { try await store.decideRequest(id: request.id, .approve, actor: actor) }
                #expect(refused?.code == .forbidden)
            }
            #expect(try await store.instance(slug: "acme-prod").state == .active)
            let approved = try await store.decideRequest(id: request.id, .approve, actor: admin)
            #expect(approved.state == .inProgress && approved.respondedAt != nil)
            #expect(try await store.instance(slug: "acme-prod").state == .suspended)
            let done = try await store.completeSatisfiedRequests(slug: "acme-prod", observed: ObservedInstance(process: .stopped))
            #expect(done.first?.state == .done)
        }
    }

    @Test("an operator approves a manual change on a trial; approving twice is refused", arguments: TestStore.engines)
    func operatorApprovesOnce(engine: EngineKind) async throws {
        try await TestStore.with(engine) { store in
            try await activeInstance(store, "acme-trial", type: .trial)
            let request = try await submit(store, .addIngressCIDRs, RequestParameters(cidrs: ["10.1.2.3/16"]), on: "acme-trial")
            _ = try await store.decideRequest(id: request.id, .approve, actor: operatorActor)
            #expect(try await store.instance(slug: "acme-trial").ingressAllowlist == ["10.1.0.0/16"])
            let again = await #expect(throws: WharfError.self) { try await store.decideRequest(id: request.id, .approve, actor: operatorActor) }
            #expect(again?.code == .illegalTransition)
        }
    }

    @Test("twenty concurrent approvals of one request: exactly one wins", arguments: TestStore.engines)
    func concurrentApprovals(engine: EngineKind) async throws {
        try await TestStore.with(engine) { store in
            try await activeInstance(store)
            let request = try await submit(store, .enableTelemetry)
            let outcomes = try await withThrowingTaskGroup(of: ErrorCode?.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        do {
                            _ = try await store.decideRequest(id: request.id, .approve, actor: operatorActor)
                            return nil
                        } catch let error as WharfError {
                            return error.code
                        }
                    }
                }
                return try await group.reduce(into: [ErrorCode?]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == nil }.count == 1)
            #expect(outcomes.filter { $0 == .illegalTransition }.count == 19)
            #expect(try await store.auditEntries(target: "request:\(request.id)").items.map(\.action) == ["request.submit", "request.approve", "request.start"])
        }
    }

    @Test("conflicting open requests are refused and nothing is written", arguments: TestStore.engines)
    func conflicts(engine: EngineKind) async throws {
        try await TestStore.with(engine) { store in
            try await activeInstance(store)
            let suspend = try await submit(store, .suspend, RequestParameters(reason: "unpaid"))
            let before = try await store.auditEntries(limit: 1000).items.count
            let refused = await #expect(throws: WharfError.self) {
                try await submit(store, .tearDown, RequestParameters(confirm: "acme-prod"))
            }
            #expect(refused?.code == .conflict)
            #expect(refused?.message.contains(suspend.id) == true)
            #expect(try await store.auditEntries(limit: 1000).items.count == before)
            // A different conflict group is independent; once the suspend is cancelled a tear-down may follow.
            #expect(try await submit(store, .disableTelemetry).state == .submitted)
            let cancelled = try await store.decideRequest(id: suspend.id, .cancel, actor: requester)
            #expect(cancelled.state == .cancelled && cancelled.resolvedAt != nil)
            #expect(try await submit(store, .tearDown, RequestParameters(confirm: "acme-prod")).state == .submitted)
        }
    }

    @Test("tear-down needs the slug typed back and keeps the data for the retention period", arguments: TestStore.engines)
    func tearDown(engine: EngineKind) async throws {
        let clock = TestClock()
        try await TestStore.with(engine, clock: clock) { store in
            try await activeInstance(store)
            let mismatch = await #expect(throws: WharfError.self) { try await submit(store, .tearDown, RequestParameters(confirm: "acme-prd")) }
            #expect(mismatch?.fieldErrors.map(\.code) == ["confirmation_mismatch"])
            let telemetry = try await submit(store, .disableTelemetry)
            let request = try await submit(store, .tearDown, RequestParameters(confirm: "acme-prod"))
            _ = try await store.decideRequest(id: request.id, .approve, actor: admin)
            let instance = try await store.instance(slug: "acme-prod")
            #expect(instance.state == .tearingDown)
            #expect(instance.dataRetainedUntil == clock.now().addingTimeInterval(30 * 86_400))
            let superseded = try await store.request(id: telemetry.id)
            #expect(superseded.state == .cancelled && superseded.transitions.last?.reason == "superseded by tear-down \(request.id)")

            // A tear-down while the create is still provisioning fails the create.
            let create = try await store.submitRequest(RequestSubmission(kind: .createInstance, parameters: RequestParameters(instance: Fixtures.instance("acme-new"))), actor: requester).value
            let early = try await submit(store, .tearDown, RequestParameters(confirm: "acme-new"), on: "acme-new")
            _ = try await store.decideRequest(id: early.id, .approve, actor: admin)
            #expect(try await store.request(id: create.id).state == .failed)
        }
    }

    @Test("rejecting needs a reason; requests on a deleted instance are refused", arguments: TestStore.engines)
    func rejectAndDeleted(engine: EngineKind) async throws {
        try await TestStore.with(engine) { store in
            try await activeInstance(store)
            let request = try await submit(store, .addCustomDomain, RequestParameters(domain: "Support.Acme.COM"))
            #expect(request.parameters.domain == "support.acme.com")
            let noReason = await #expect(throws: WharfError.self) { try await store.decideRequest(id: request.id, .reject, actor: operatorActor) }
            #expect(noReason?.fieldErrors.map(\.field) == ["reason"])
            let rejected = try await store.decideRequest(id: request.id, .reject, reason: "domain not owned by the customer", actor: operatorActor)
            #expect(rejected.state == .rejected && rejected.transitions.last?.reason == "domain not owned by the customer")

            let pending = try await submit(store, .disableTelemetry)
            for event in [LifecycleEvent.tearDown, .tornDown] {
                _ = try await store.applyEvent(slug: "acme-prod", InstanceEventRequest(event: event, confirm: "acme-prod"), actor: .system)
            }
            let submitRefused = await #expect(throws: WharfError.self) { try await submit(store, .resume) }
            #expect(submitRefused?.code == .conflict && submitRefused?.message.contains("deleted") == true)
            let approveRefused = await #expect(throws: WharfError.self) { try await store.decideRequest(id: pending.id, .approve, actor: operatorActor) }
            #expect(approveRefused?.code == .conflict)
            #expect(try await store.request(id: pending.id).state == .submitted)
        }
    }

    @Test("a password reset link is returned once, stored as a hash, single-use and expires after 24 h", arguments: TestStore.engines)
    func passwordReset(engine: EngineKind) async throws {
        let clock = TestClock()
        try await TestStore.with(engine, clock: clock) { store in
            try await activeInstance(store)
            let key = IdempotencyKey(scope: requester.id, key: "reset-1", fingerprint: "f")
            let first = try await store.submitRequest(RequestSubmission(kind: .resetAdminPassword, instance: "acme-prod"), actor: requester, idempotency: key)
            let link = try #require(first.value.passwordReset)
            #expect(first.value.state == .done)
            #expect(link.email == "admin@acme.example.com" && link.expiresAt == clock.now().addingTimeInterval(86_400))
            let token = String(link.url.split(separator: "token=").last!)
            let replay = try await store.submitRequest(RequestSubmission(kind: .resetAdminPassword, instance: "acme-prod"), actor: requester, idempotency: key)
            #expect(replay.replayed && replay.value.passwordReset == nil)
            #expect(try await store.request(id: first.value.id).passwordReset == nil)
            let everything = try await store.read { db in
                var text = ""
                for table in ["wharf_requests", "wharf_password_resets", "wharf_audit_log", "wharf_request_events", "wharf_idempotency_keys"] {
                    for row in try await db.raw("SELECT * FROM \(unsafeRaw: table)").all() {
                        for column in row.allColumns { text += (try? row.decode(column: column, as: String.self)) ?? "" }
                    }
                }
                return text
            }
            #expect(!everything.contains(token))

            let grant = try await store.redeemPasswordReset(token: token)
            #expect(grant == PasswordResetGrant(instance: "acme-prod", email: "admin@acme.example.com"))
            await #expect(throws: WharfError.self) { try await store.redeemPasswordReset(token: token) }

            let second = try await submit(store, .resetAdminPassword)
            let secondToken = String(second.passwordReset!.url.split(separator: "token=").last!)
            clock.advance(by: 86_400)
            await #expect(throws: WharfError.self) { try await store.redeemPasswordReset(token: secondToken) }

            let third = try await submit(store, .resetAdminPassword)
            _ = try await store.updateInstance(slug: "acme-prod", InstancePatch(adminEmail: "new-admin@acme.example.com"), actor: operatorActor)
            let rebound = await #expect(throws: WharfError.self) {
                try await store.redeemPasswordReset(token: String(third.passwordReset!.url.split(separator: "token=").last!))
            }
            #expect(rebound?.code == .notFound)
        }
    }

    @Test("an SLA extension moves the resolution deadline on the calendar and is audited", arguments: TestStore.engines)
    func extend(engine: EngineKind) async throws {
        try await TestStore.with(engine) { store in
            try await activeInstance(store)
            let request = try await submit(store, .addCustomDomain, RequestParameters(domain: "support.acme.com"))
            let due = try #require(request.resolutionDue)
            let refused = await #expect(throws: WharfError.self) {
                try await store.extendRequest(id: request.id, SLAExtensionDraft(duration: .workingDays(2), reason: "dns"), actor: requester)
            }
            #expect(refused?.code == .forbidden)
            let extended = try await store.extendRequest(id: request.id, SLAExtensionDraft(duration: .workingDays(2), reason: "customer's DNS provider is slow"), actor: operatorActor)
            #expect(extended.resolutionDue == WorkingCalendar.standard.deadline(from: due, adding: .workingDays(2)))
            #expect(extended.extensions.map(\.previousDue) == [due])
            #expect(try await store.auditEntries(target: "request:\(request.id)").items.last?.action == "request.extend")
            let noWindow = try await submit(store, .restartFrontend)
            let none = await #expect(throws: WharfError.self) {
                try await store.extendRequest(id: noWindow.id, SLAExtensionDraft(duration: .hours(4), reason: "x"), actor: operatorActor)
            }
            #expect(none?.code == .illegalTransition || none?.code == .conflict)
        }
    }

    @Test("a new licence key is applied sealed; the request keeps only its fingerprint", arguments: TestStore.engines)
    func licenceKey(engine: EngineKind) async throws {
        try await TestStore.with(engine) { store in
            try await activeInstance(store)
            let request = try await submit(store, .updateLicenceKey, RequestParameters(licenceKey: "NEW-LICENCE-KEY-42"))
            #expect(request.parameters.licenceKey == LicenceKey.fingerprint("NEW-LICENCE-KEY-42"))
            #expect(request.state == .inProgress)
            #expect(try await store.licenceKey(slug: "acme-prod") == "NEW-LICENCE-KEY-42")
            #expect(try await store.instance(slug: "acme-prod").licenceKeyFingerprint == LicenceKey.fingerprint("NEW-LICENCE-KEY-42"))
            let audit = try await store.auditEntries(limit: 1000).items.map(\.detail).joined()
            #expect(!audit.contains("NEW-LICENCE-KEY-42"))
        }
    }
}

@Suite("Every request kind")
struct EveryKindTests {
    /// A valid submission of `kind` on `acme-<kind>`, and who submits it.
    static func submission(_ kind: RequestKind, slug: String, now: Date) -> (RequestSubmission, Actor) {
        var parameters = RequestParameters()
        switch kind {
        case .createInstance: parameters.instance = Fixtures.instance(slug)
        case .createTrial:
            var draft = Fixtures.instance(slug)
            draft.trialExpiresAt = now.addingTimeInterval(14 * 86_400)
            parameters.instance = draft
        case .suspend: parameters.reason = "unpaid"
        case .tearDown: parameters.confirm = slug
        case .convertTrial: parameters.plan = .enterprise
        case .addIngressCIDRs: parameters.cidrs = ["198.51.100.0/24"]
        case .removeIngressCIDRs: parameters.cidrs = ["203.0.113.0/24"]
        case .addCustomDomain: parameters.domain = "\(slug).customer.example"
        case .egressConnectivity: parameters.staticEgressIP = true
        case .updateLicenceKey: parameters.licenceKey = "LICENCE-\(slug)"
        case .monthlyUpgrade, .patchUpgrade:
            parameters.version = "5.3.0"
            parameters.releasedAt = now
        case .resume, .enableTelemetry, .disableTelemetry, .enableAIGateway, .disableAIGateway, .resetAdminPassword, .restartFrontend: break
        }
        let actor = kind.policy.mode == .automatic ? Fixtures.operatorActor : Fixtures.requesterActor
        return (RequestSubmission(kind: kind, instance: kind.createsInstance ? nil : slug, parameters: parameters), actor)
    }

    @Test("every kind is submitted, decided by the right role, and applied to the registry", arguments: TestStore.engines)
    func everyKind(engine: EngineKind) async throws {
        let clock = TestClock()
        try await TestStore.with(engine, clock: clock) { store in
            _ = try await store.createCustomer(Fixtures.customer(), actor: Fixtures.operatorActor)
            for kind in RequestKind.allCases {
                let slug = "acme-" + kind.rawValue.replacingOccurrences(of: "_", with: "-").prefix(20)
                if !kind.createsInstance {
                    var draft = Fixtures.instance(String(slug))
                    draft.type = kind == .convertTrial ? .trial : .internal
                    draft.trialExpiresAt = kind == .convertTrial ? clock.now().addingTimeInterval(86_400) : nil
                    draft.ingressAllowlist = ["203.0.113.0/24"]
                    _ = try await store.createInstance(draft, actor: Fixtures.operatorActor)
                    for event in [LifecycleEvent.startProvisioning, .provisioned] { _ = try await store.applyEvent(slug: String(slug), InstanceEventRequest(event: event), actor: .system) }
                    if kind == .resume { _ = try await store.applyEvent(slug: String(slug), InstanceEventRequest(event: .suspend), actor: .system) }
                }
                let (submission, actor) = Self.submission(kind, slug: String(slug), now: clock.now())
                var request = try await store.submitRequest(submission, actor: actor).value
                #expect(request.mode == kind.policy.mode, "\(kind)")
                if kind.policy.mode == .manual {
                    #expect(request.state == .submitted, "\(kind)")
                    request = try await store.decideRequest(id: request.id, .approve, actor: Fixtures.operatorActor)
                }
                let expected: RequestState = RequestCompletion.isRegistryOnly(kind) ? .done : .inProgress
                #expect(request.state == expected, "\(kind)")
                let instance = try await store.instance(slug: String(slug))
                switch kind {
                case .createInstance, .createTrial: #expect(instance.state == .requested && instance.type == (kind == .createTrial ? .trial : .production))
                case .suspend: #expect(instance.state == .suspended)
                case .resume: #expect(instance.state == .active)
                case .tearDown: #expect(instance.state == .tearingDown && instance.dataRetainedUntil != nil)
                case .convertTrial: #expect(instance.type == .production && instance.plan == .enterprise && instance.trialExpiresAt == nil)
                case .enableTelemetry: #expect(instance.telemetry)
                case .disableTelemetry: #expect(!instance.telemetry)
                case .addIngressCIDRs: #expect(instance.ingressAllowlist == ["203.0.113.0/24", "198.51.100.0/24"])
                case .removeIngressCIDRs: #expect(instance.ingressAllowlist.isEmpty)
                case .enableAIGateway: #expect(instance.aiGatewayAccess)
                case .disableAIGateway: #expect(!instance.aiGatewayAccess)
                case .addCustomDomain: #expect(instance.customDomains.map { [$0.domain, $0.verification.rawValue] } == [["\(slug).customer.example", "pending"]])
                case .egressConnectivity: #expect(instance.staticEgress)
                case .updateLicenceKey: #expect(instance.licenceKeyFingerprint == LicenceKey.fingerprint("LICENCE-\(slug)"))
                case .resetAdminPassword: #expect(request.passwordReset != nil)
                case .restartFrontend, .monthlyUpgrade, .patchUpgrade: #expect(instance.state == .active)
                }
            }
            #expect(try await store.verifyAudit().intact)
        }
    }

    @Test("a manual kind can be rejected, a submitted one cancelled by its submitter only", arguments: TestStore.engines)
    func rejectAndCancel(engine: EngineKind) async throws {
        try await TestStore.with(engine) { store in
            _ = try await store.createCustomer(Fixtures.customer(), actor: Fixtures.operatorActor)
            _ = try await store.createInstance(Fixtures.instance(), actor: Fixtures.operatorActor)
            let first = try await store.submitRequest(RequestSubmission(kind: .enableTelemetry, instance: "acme-prod"), actor: Fixtures.requesterActor).value
            let stranger = Actor(id: "rq2", name: "someone else", role: .requester)
            let refused = await #expect(throws: WharfError.self) { try await store.decideRequest(id: first.id, .cancel, actor: stranger) }
            #expect(refused?.code == .forbidden)
            #expect(try await store.decideRequest(id: first.id, .cancel, actor: Fixtures.requesterActor).state == .cancelled)
            let second = try await store.submitRequest(RequestSubmission(kind: .enableTelemetry, instance: "acme-prod"), actor: Fixtures.requesterActor).value
            let rejected = try await store.decideRequest(id: second.id, .reject, reason: "telemetry is on by contract", actor: Fixtures.operatorActor)
            #expect(rejected.state == .rejected && rejected.respondedAt != nil && rejected.resolvedAt != nil)
            let viewer = Actor(id: "v1", name: "viewer", role: .viewer)
            let denied = await #expect(throws: WharfError.self) {
                try await store.submitRequest(RequestSubmission(kind: .enableTelemetry, instance: "acme-prod"), actor: viewer)
            }
            #expect(denied?.code == .forbidden)
        }
    }
}

import Foundation
import SQLKit
import Testing
import WharfCore
import WharfRuntime
import WharfTesting

@testable import WharfStore

@Suite("Time-driven rules")
struct TimerTests {
    @Test("a trial gets one notice three days before expiry and is suspended once expired", arguments: TestStore.engines)
    func trialExpiry(engine: EngineKind) async throws {
        let clock = TestClock()
        try await TestStore.with(engine, clock: clock) { store in
            _ = try await store.createCustomer(Fixtures.customer(), actor: Fixtures.operatorActor)
            var draft = Fixtures.instance("acme-trial")
            draft.type = .trial
            draft.trialExpiresAt = clock.now().addingTimeInterval(10 * 86_400)
            _ = try await store.createInstance(draft, actor: Fixtures.operatorActor)
            _ = try await store.createInstance(Fixtures.instance("acme-paid"), actor: Fixtures.operatorActor)
            for slug in ["acme-trial", "acme-paid"] {
                for event in [LifecycleEvent.startProvisioning, .provisioned] { _ = try await store.applyEvent(slug: slug, InstanceEventRequest(event: event), actor: .system) }
            }

            #expect(try await store.runTimers() == TimerOutcome())
            clock.advance(by: 7 * 86_400 + 1)
            #expect(try await store.runTimers().noticed == ["acme-trial"])
            #expect(try await store.runTimers().noticed.isEmpty)
            let notice = try await store.auditEntries(target: "instance:acme-trial").items.last
            #expect(notice?.action == "instance.trial_expiry_notice")

            clock.advance(by: 3 * 86_400)
            let expired = try await store.runTimers()
            #expect(expired.suspended == ["acme-trial"])
            #expect(try await store.instance(slug: "acme-trial").state == .suspended)
            #expect(try await store.instance(slug: "acme-paid").state == .active)
            let suspend = try #require(try await store.requests(RequestQuery(kind: .suspend)).items.first)
            #expect(suspend.state == .inProgress && suspend.submittedBy == "system")
            #expect(suspend.parameters.reason?.hasPrefix("trial expired at") == true)
            #expect(try await store.runTimers().suspended.isEmpty)
        }
    }

    @Test("a request entering the last fifth of its window raises one near-breach event", arguments: TestStore.engines)
    func nearBreach(engine: EngineKind) async throws {
        // 2026-11-23 is a Monday; 10:00 UTC is inside working hours.
        let clock = TestClock(WharfJSON.parseTimestamp("2026-11-23T10:00:00Z")!)
        try await TestStore.with(engine, clock: clock) { store in
            _ = try await store.createCustomer(Fixtures.customer(), actor: Fixtures.operatorActor)
            _ = try await store.createInstance(Fixtures.instance(), actor: Fixtures.operatorActor)
            for event in [LifecycleEvent.startProvisioning, .provisioned] { _ = try await store.applyEvent(slug: "acme-prod", InstanceEventRequest(event: event), actor: .system) }
            // Response due in one working day: Tuesday 10:00, a 24 h window.
            let request = try await store.submitRequest(
                RequestSubmission(kind: .addIngressCIDRs, instance: "acme-prod", parameters: RequestParameters(cidrs: ["10.0.0.0/8"])), actor: Fixtures.requesterActor
            ).value
            #expect(request.responseDue == WharfJSON.parseTimestamp("2026-11-24T10:00:00Z"))
            clock.advance(by: 19 * 3600)
            #expect(try await store.runTimers().nearBreach.isEmpty)
            clock.advance(by: 1 * 3600 + 1)
            #expect(try await store.runTimers().nearBreach == [request.id])
            #expect(try await store.runTimers().nearBreach.isEmpty)
            let events = try await store.read { db in
                try await db.select().column("event").from("wharf_request_events").where("request_id", .equal, SQLBind(request.id)).all()
                    .map { try $0.decode(column: "event", as: String.self) }
            }
            #expect(events.sorted() == ["near_breach", "submitted"])
        }
    }
}

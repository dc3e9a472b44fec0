import Testing
import WharfCore

@Suite("Instance lifecycle")
struct LifecycleTests {
    @Test("legal transitions", arguments: [
        (InstanceState.requested, LifecycleEvent.startProvisioning, InstanceState.provisioning),
        (.provisioning, .provisioned, .active), (.active, .suspend, .suspended), (.suspended, .resume, .active),
        (.active, .tearDown, .tearingDown), (.suspended, .tearDown, .tearingDown), (.tearingDown, .tornDown, .deleted),
        (.provisioning, .fail, .failed), (.failed, .retry, .requested),
    ])
    func legal(from: InstanceState, event: LifecycleEvent, to: InstanceState) throws {
        #expect(try InstanceLifecycle.next(from: from, on: event) == to)
    }

    @Test("every other pair is refused with the states it is allowed from")
    func illegal() {
        var refused = 0
        for state in InstanceState.allCases {
            for event in LifecycleEvent.allCases where !InstanceLifecycle.events(from: state).contains(event) {
                let error = #expect(throws: WharfError.self) { try InstanceLifecycle.next(from: state, on: event) }
                #expect(error?.code == .illegalTransition)
                refused += 1
            }
        }
        #expect(refused == InstanceState.allCases.count * LifecycleEvent.allCases.count - 14)
        let error = #expect(throws: WharfError.self) { try InstanceLifecycle.next(from: .requested, on: .suspend) }
        #expect(error?.message == "cannot suspend an instance that is requested; suspend is allowed from: active")
    }

    @Test("the audit chain detects a changed entry")
    func auditChain() {
        let first = AuditChain.entry(after: (0, AuditChain.genesis), atMillis: 1, actor: "a", action: "x", target: "t", detail: "{}")
        let second = AuditChain.entry(after: (first.seq, first.hash), atMillis: 2, actor: "a", action: "y", target: "t", detail: "{}")
        var verifier = AuditChain.Verifier()
        let fed = verifier.feed(first) && verifier.feed(second)
        #expect(fed)
        #expect(verifier.finish(head: (2, second.hash)).intact)
        var tampered = second
        tampered.detail = #"{"x":1}"#
        var again = AuditChain.Verifier()
        again.feed(first)
        let accepted = again.feed(tampered)
        #expect(!accepted)
        #expect(again.finish(head: (2, second.hash)).failure?.seq == 2)
    }
}

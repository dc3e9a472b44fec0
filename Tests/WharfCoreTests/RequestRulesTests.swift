import Foundation
import Testing
import WharfCore

@Suite("Lifecycle requests: kinds, parameters, state machine, deadlines")
struct RequestRulesTests {
    static let now = WharfJSON.parseTimestamp("2026-11-18T10:00:00Z")!

    static func submission(_ json: String) throws -> RequestSubmission {
        try WharfJSON.decoder().decode(RequestSubmission.self, from: Data(json.utf8))
    }

    static func fields(_ json: String) throws -> [String] {
        do {
            _ = try submission(json).validated(now: now)
            return []
        } catch let error as WharfError {
            return error.fieldErrors.map { "\($0.field):\($0.code)" }
        }
    }

    @Test func everyKindOfTheSpecTableHasItsModeAndClocks() {
        #expect(RequestKind.allCases.count == 19)
        #expect(RequestKind.createInstance.policy == RequestPolicy(mode: .selfService, response: .workingDays(1), resolution: .workingDays(1), resolutionFrom: .agreement))
        #expect(RequestKind.suspend.policy.mode == .manual && RequestKind.suspend.policy.response == .hours(24) && RequestKind.suspend.policy.resolution == .workingDays(15))
        #expect(RequestKind.addIngressCIDRs.policy.resolution == .days(3))
        #expect(RequestKind.addCustomDomain.policy.response == .workingDays(3) && RequestKind.addCustomDomain.policy.resolution == .weeks(2))
        #expect(RequestKind.monthlyUpgrade.policy.mode == .automatic && RequestKind.patchUpgrade.policy.resolution == .weeks(1))
        let selfService = RequestKind.allCases.filter { $0.policy.mode == .selfService }.map(\.rawValue)
        #expect(Set(selfService) == ["create_instance", "create_trial", "convert_trial", "enable_ai_gateway", "disable_ai_gateway", "update_licence_key", "reset_admin_password", "restart_frontend"])
        #expect(RequestKind.suspend.policy.conflictGroup == RequestKind.tearDown.policy.conflictGroup)
    }

    @Test func validSubmissionsAreNormalised() throws {
        let ingress = try Self.submission(#"{"kind":"add_ingress_cidrs","instance":"acme-prod","parameters":{"cidrs":["10.1.2.3/8","2001:DB8::1/32"]}}"#).validated(now: Self.now)
        #expect(ingress.parameters.cidrs == ["10.0.0.0/8", "2001:db8::/32"])
        let create = try Self.submission(#"{"kind":"create_instance","parameters":{"instance":{"slug":"acme-prod","customerId":"acme","plan":"business","productVersion":"5.2.0","adminEmail":"a@acme.com"}}}"#).validated(now: Self.now)
        #expect(create.instance == "acme-prod")
        let teardown = try Self.submission(#"{"kind":"tear_down","instance":"acme-prod","parameters":{"confirm":"acme-prod"},"agreedAt":"2026-12-01T09:00:00Z"}"#).validated(now: Self.now)
        #expect(teardown.agreedAt == WharfJSON.parseTimestamp("2026-12-01T09:00:00Z"))
    }

    @Test("bad submissions name every field", arguments: [
        (#"{"kind":"suspend","instance":"acme-prod"}"#, ["parameters.reason:required"]),
        (#"{"kind":"suspend"}"#, ["parameters.reason:required", "instance:required"]),
        (#"{"kind":"tear_down","instance":"acme-prod","parameters":{"confirm":"acme-dev"}}"#, ["parameters.confirm:confirmation_mismatch"]),
        (#"{"kind":"resume","instance":"acme-prod","parameters":{"domain":"x.example.com"}}"#, ["parameters.domain:not_applicable"]),
        (#"{"kind":"add_ingress_cidrs","instance":"acme-prod","parameters":{"cidrs":["10.0.0.0/8","10.1.0.0/8","nonsense"]}}"#, ["parameters.cidrs[1]:duplicate", "parameters.cidrs[2]:invalid_cidr"]),
        (#"{"kind":"add_ingress_cidrs","instance":"acme-prod","parameters":{"cidrs":[]}}"#, ["parameters.cidrs:required"]),
        (#"{"kind":"add_custom_domain","instance":"acme-prod","parameters":{"domain":"not a domain"}}"#, ["parameters.domain:invalid_domain"]),
        (#"{"kind":"egress_connectivity","instance":"acme-prod"}"#, ["parameters:required"]),
        (#"{"kind":"enable_telemetry","instance":"Acme_Prod"}"#, ["instance:invalid_characters"]),
        (#"{"kind":"add_custom_domain","instance":"acme-prod","parameters":{"domain":"acme.example.com"},"agreedAt":"2026-12-01T00:00:00Z"}"#, ["agreedAt:not_applicable"]),
        (#"{"kind":"suspend","instance":"acme-prod","parameters":{"reason":"unpaid"},"agreedAt":"2026-11-01T00:00:00Z"}"#, ["agreedAt:in_past"]),
        (#"{"kind":"monthly_upgrade","instance":"acme-prod","parameters":{"version":"five"}}"#, ["parameters.version:invalid_version", "parameters.releasedAt:required"]),
    ])
    func badSubmissions(json: String, expected: [String]) throws {
        #expect(try Self.fields(json).sorted() == expected.sorted())
    }

    @Test func unknownKindsAndMembersAreDecodingErrors() {
        #expect(throws: (any Error).self) { try Self.submission(#"{"kind":"delete_everything","instance":"acme-prod"}"#) }
        #expect(throws: UnknownFieldError.self) { try Self.submission(#"{"kind":"resume","instance":"acme-prod","parameters":{"reasn":"x"}}"#) }
    }

    @Test func licenceKeysAreRedactedToTheirFingerprint() throws {
        let parameters = RequestParameters(licenceKey: "SECRET-KEY-123")
        #expect(parameters.redacted.licenceKey == LicenceKey.fingerprint("SECRET-KEY-123"))
        #expect(!String(decoding: try WharfJSON.encoder().encode(parameters.redacted), as: UTF8.self).contains("SECRET"))
    }

    @Test func theStateMachineAllowsOnlyItsTransitions() throws {
        #expect(try RequestLifecycle.next(from: .submitted, on: .approve) == .approved)
        #expect(try RequestLifecycle.next(from: .approved, on: .start) == .inProgress)
        #expect(try RequestLifecycle.next(from: .inProgress, on: .complete) == .done)
        #expect(try RequestLifecycle.next(from: .inProgress, on: .fail) == .failed)
        #expect(try RequestLifecycle.next(from: .submitted, on: .reject) == .rejected)
        #expect(try RequestLifecycle.next(from: .approved, on: .cancel) == .cancelled)
        var legal = 0
        for state in RequestState.allCases {
            for event in RequestEvent.allCases {
                if (try? RequestLifecycle.next(from: state, on: event)) != nil { legal += 1 }
            }
        }
        #expect(legal == 7)
        let twice = #expect(throws: WharfError.self) { try RequestLifecycle.next(from: .approved, on: .approve) }
        #expect(twice?.code == .illegalTransition && twice?.message.contains("only cancel, start") == true)
        let final = #expect(throws: WharfError.self) { try RequestLifecycle.next(from: .done, on: .cancel) }
        #expect(final?.message.contains("final") == true)
        #expect(!RequestState.done.isOpen && RequestState.inProgress.isOpen)
    }

    @Test func deadlinesFollowThePolicyAndTheCalendar() throws {
        let calendar = try WorkingCalendar(holidays: [try .parse("2026-11-19")])
        let suspend = RequestDeadlines.compute(kind: .suspend, submittedAt: Self.now, calendar: calendar)
        #expect(suspend.responseDue == WharfJSON.parseTimestamp("2026-11-19T10:00:00Z"))  // 24 h, holiday or not
        // 15 working days, Thursday 19 November being a holiday.
        #expect(suspend.resolutionDue == WharfJSON.parseTimestamp("2026-12-10T10:00:00Z"))
        let agreed = RequestDeadlines.compute(kind: .tearDown, submittedAt: Self.now, agreedAt: WharfJSON.parseTimestamp("2026-12-01T09:00:00Z"), calendar: calendar)
        #expect(agreed.resolutionDue == WharfJSON.parseTimestamp("2026-12-22T09:00:00Z"))
        let extended = RequestDeadlines.compute(kind: .addCustomDomain, submittedAt: Self.now, extensions: [.workingDays(2), .hours(1)], calendar: calendar)
        #expect(extended.responseDue == WharfJSON.parseTimestamp("2026-11-24T10:00:00Z"))
        #expect(extended.resolutionDue == WharfJSON.parseTimestamp("2026-12-04T11:00:00Z"))  // 2 weeks → Wed 2 Dec, +2 wd, +1 h
        let upgrade = RequestDeadlines.compute(kind: .patchUpgrade, submittedAt: Self.now, releasedAt: WharfJSON.parseTimestamp("2026-11-16T08:00:00Z"), calendar: calendar)
        #expect(upgrade.responseDue == nil && upgrade.resolutionDue == WharfJSON.parseTimestamp("2026-11-23T08:00:00Z"))
        #expect(RequestDeadlines.compute(kind: .restartFrontend, submittedAt: Self.now, calendar: calendar) == RequestDeadlines(responseDue: nil, resolutionDue: nil))
    }
}

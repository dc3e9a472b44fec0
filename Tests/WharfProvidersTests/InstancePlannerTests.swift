import Foundation
import Testing
import WharfCore
import WharfProviders

@Suite("Instance planner")
struct InstancePlannerTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func desired(_ slug: String, _ state: InstanceState, telemetry: Bool = true, restarts: Int = 0, retainedUntil: Date? = nil) -> DesiredInstance {
        let draft = InstanceDraft(slug: slug, customerID: "acme", plan: .business, productVersion: "5.2.0", adminEmail: "admin@acme.example.com")
        var (instance, _) = try! draft.validated(now: now, baseDomain: "wharf.test")
        instance.state = state
        instance.telemetry = telemetry
        instance.dataRetainedUntil = retainedUntil
        instance.frontendRestarts = restarts
        return DesiredInstance(instance: instance)
    }

    static func running(_ want: DesiredInstance, launch: LaunchSpec? = nil) -> ProviderObservation {
        ProviderObservation(observed: ObservedInstance(process: .running, healthy: true), launch: launch ?? want.launch, hasData: true)
    }

    static let stopped = ProviderObservation(observed: ObservedInstance(process: .stopped), hasData: true)

    @Test("each state against what is seen", arguments: [
        // (state, what is seen, expected action)
        (InstanceState.requested, "absent", "start aaa"), (.provisioning, "stopped", "start aaa"), (.active, "running", nil),
        (.active, "absent", "start aaa"), (.suspended, "running", "stop aaa"), (.suspended, "stopped", nil),
        (.tearingDown, "running", "stop aaa"), (.failed, "absent", nil), (.failed, "running", "stop aaa"),
    ] as [(InstanceState, String, String?)])
    func states(state: InstanceState, seen: String, expected: String?) {
        let want = Self.desired("aaa", state)
        let observation: ProviderObservation = switch seen {
        case "running": Self.running(want)
        case "stopped": Self.stopped
        default: .absent
        }
        #expect(InstancePlanner.plan(desired: [want], observed: ["aaa": observation], now: Self.now).map(\.description) == (expected.map { [$0] } ?? []))
    }

    @Test("a process started with other settings, or for fewer front-end restarts than asked, is restarted with the reason")
    func restarts() {
        let want = Self.desired("aaa", .active, telemetry: false)
        var launched = want.launch
        launched.telemetry = true
        launched.productVersion = "5.1.0"
        #expect(InstancePlanner.plan(desired: [want], observed: ["aaa": Self.running(want, launch: launched)], now: Self.now)
            == [.restart(slug: "aaa", reason: "version 5.1.0 → 5.2.0, telemetry off")])
        let asked = Self.desired("bbb", .active, restarts: 2)
        var before = asked.launch
        before.frontendRestarts = 1
        #expect(InstancePlanner.plan(desired: [asked], observed: ["bbb": Self.running(asked, launch: before)], now: Self.now)
            == [.restart(slug: "bbb", reason: "a front-end restart was requested")])
        #expect(InstancePlanner.plan(desired: [asked], observed: ["bbb": Self.running(asked)], now: Self.now).isEmpty)
    }

    @Test("data is destroyed only once the retention period has passed")
    func retention() {
        let kept = Self.desired("aaa", .deleted, retainedUntil: Self.now.addingTimeInterval(1))
        let expired = Self.desired("bbb", .deleted, retainedUntil: Self.now)
        let observed = ["aaa": Self.stopped, "bbb": Self.stopped]
        #expect(InstancePlanner.plan(desired: [kept, expired], observed: observed, now: Self.now) == [.destroyData(slug: "bbb")])
        #expect(InstancePlanner.plan(desired: [expired], observed: ["bbb": .absent], now: Self.now).isEmpty)
    }

    @Test("stops come before restarts and starts, each in slug order, and a converged fleet plans nothing")
    func order() {
        let wants = [Self.desired("ccc", .requested), Self.desired("aaa", .requested), Self.desired("bbb", .suspended), Self.desired("ddd", .active)]
        var observed = ["bbb": Self.running(wants[2])]
        var launched = wants[3].launch
        launched.adminEmail = "old@acme.example.com"
        observed["ddd"] = Self.running(wants[3], launch: launched)
        #expect(InstancePlanner.plan(desired: wants, observed: observed, now: Self.now).map(\.description)
            == ["stop bbb", "restart ddd (new admin e-mail)", "start aaa", "start ccc"])
        let converged = [Self.desired("xxx", .active), Self.desired("yyy", .suspended)]
        #expect(InstancePlanner.plan(desired: converged, observed: ["xxx": Self.running(converged[0]), "yyy": Self.stopped], now: Self.now).isEmpty)
    }
}

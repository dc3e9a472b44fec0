import ArgumentParser
import Foundation
import WharfCore
import WharfProviders

/// Planning desired against observed for a large fleet (issue 5: 1,000 instances in under 200 ms): a mix
/// of states, a tenth of them needing a start, a stop or a restart.
struct PlanBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plan", abstract: "Time reconciliation planning.")

    @Option(help: "Registered instances.") var instances = 1_000
    @Option(help: "Runs; the best and the worst are reported.") var runs = 20

    func run() throws {
        let now = Date()
        let states: [InstanceState] = [.active, .active, .active, .active, .active, .active, .suspended, .requested, .tearingDown, .deleted]
        var desired: [DesiredInstance] = []
        var observed: [String: ProviderObservation] = [:]
        for index in 0..<instances {
            let draft = InstanceDraft(slug: "inst-\(index)", customerID: "bench", plan: .business, productVersion: "5.2.0", adminEmail: "admin@bench.example.com")
            var (instance, _) = try draft.validated(now: now, baseDomain: "wharf.test")
            instance.state = states[index % states.count]
            instance.dataRetainedUntil = instance.state == .deleted ? now : nil
            let want = DesiredInstance(instance: instance)
            desired.append(want)
            var launch = want.launch
            if index % 17 == 0 { launch.telemetry.toggle() }
            let running = index % 3 != 0 || instance.state == .active
            observed[want.slug] = ProviderObservation(
                observed: ObservedInstance(process: running ? .running : .stopped, healthy: running, startedAt: now), launch: launch, hasData: true
            )
        }
        var times: [Double] = []
        var actions = 0
        for _ in 0..<runs {
            let began = ContinuousClock.now
            actions = InstancePlanner.plan(desired: desired, observed: observed, now: now).count
            times.append((ContinuousClock.now - began) / .milliseconds(1))
        }
        print(String(format: "planning %d instances (%d actions): best %.2f ms, worst %.2f ms of %d runs (target < 200 ms, ratio %.3f)",
                     instances, actions, times.min()!, times.max()!, runs, times.max()! / 200))
    }
}

/// The instance lifecycle as a pure state machine:
/// `requested → provisioning → active ⇄ suspended → tearing_down → deleted`, plus `failed` with a reason.
///
/// It takes a state and an event and returns the next state or a clear refusal; it does no I/O, so every
/// rule is tested synchronously and callers (API, reconciler) cannot disagree about what is legal.
public enum InstanceLifecycle {
    /// The transitions, as (from, event) → to.
    static let table: [InstanceState: [LifecycleEvent: InstanceState]] = [
        .requested: [.startProvisioning: .provisioning, .fail: .failed, .tearDown: .tearingDown],
        .provisioning: [.provisioned: .active, .fail: .failed],
        .active: [.suspend: .suspended, .tearDown: .tearingDown, .fail: .failed],
        .suspended: [.resume: .active, .tearDown: .tearingDown],
        .tearingDown: [.tornDown: .deleted, .fail: .failed],
        .failed: [.retry: .requested, .tearDown: .tearingDown],
        .deleted: [:],
    ]

    /// The next state after `event`, or `illegal_transition` naming the states the event is allowed from.
    public static func next(from state: InstanceState, on event: LifecycleEvent) throws(WharfError) -> InstanceState {
        if let next = table[state]?[event] { return next }
        let allowedFrom = InstanceState.allCases.filter { table[$0]?[event] != nil }.map(\.rawValue)
        let message =
            state == .deleted
            ? "the instance is deleted; nothing more can happen to it"
            : "cannot \(event.rawValue) an instance that is \(state.rawValue); \(event.rawValue) is allowed from: \(allowedFrom.joined(separator: ", "))"
        throw WharfError(.illegalTransition, message)
    }

    /// Events that are legal from `state`, for help texts and the console.
    public static func events(from state: InstanceState) -> [LifecycleEvent] {
        LifecycleEvent.allCases.filter { table[state]?[$0] != nil }
    }
}

/// The request state machine (ARCHITECTURE: logic as pure state machines):
/// `submitted → approved → in_progress → done | failed`, and `rejected` or `cancelled` before work starts.
public enum RequestLifecycle {
    static let transitions: [RequestState: [RequestEvent: RequestState]] = [
        .submitted: [.approve: .approved, .reject: .rejected, .cancel: .cancelled],
        .approved: [.start: .inProgress, .cancel: .cancelled],
        .inProgress: [.complete: .done, .fail: .failed],
    ]

    /// The state `event` leads to from `state`, or an `illegal_transition` error naming what is allowed.
    public static func next(from state: RequestState, on event: RequestEvent) throws(WharfError) -> RequestState {
        if let next = transitions[state]?[event] { return next }
        let allowed = (transitions[state] ?? [:]).keys.map(\.rawValue).sorted()
        let hint = allowed.isEmpty ? "the request is \(state.rawValue), which is final" : "from \(state.rawValue) only \(allowed.joined(separator: ", ")) is possible"
        throw WharfError(.illegalTransition, "cannot \(event.rawValue) a request that is \(state.rawValue); \(hint)")
    }

    /// Events that need a reason, so the record says why.
    public static func needsReason(_ event: RequestEvent) -> Bool { event == .reject || event == .fail }
}

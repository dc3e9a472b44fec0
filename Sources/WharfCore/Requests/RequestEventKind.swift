/// The moments in a request's life that Wharf tells the outside world about (webhooks).
public enum RequestEventKind: String, WireEnum {
    case submitted, approved, done, failed
    /// Less than a fifth of an open request's current SLA window is left.
    case nearBreach = "near_breach"

    /// The event a transition into `state` raises, if any.
    public init?(after state: RequestState) {
        switch state {
        case .approved: self = .approved
        case .done: self = .done
        case .failed: self = .failed
        case .submitted, .inProgress, .rejected, .cancelled: return nil
        }
    }
}

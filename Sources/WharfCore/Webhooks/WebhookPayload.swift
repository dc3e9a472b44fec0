import Foundation

/// The body posted to webhooks: Slack-compatible (`text` is what Slack shows), with the event and the
/// request under `wharf` for receivers that want the details.
public struct WebhookPayload: Codable, Sendable, Equatable {
    public struct Detail: Codable, Sendable, Equatable {
        public var event: RequestEventKind
        public var request: LifecycleRequest
    }

    public var text: String
    public var wharf: Detail

    public init(event: RequestEventKind, request: LifecycleRequest) {
        let subject = "\(request.kind.rawValue) for *\(request.instance)* (\(request.id))"
        let due = (request.respondedAt == nil ? request.responseDue : request.resolutionDue).map { " It is due \(WharfJSON.timestamp($0))." } ?? ""
        let reason = request.transitions.last?.reason.map { ": \($0)" } ?? ""
        text =
            switch event {
            case .submitted: "New request: \(subject), submitted by \(request.submittedBy).\(due)"
            case .approved: "Approved: \(subject), by \(request.transitions.last(where: { $0.state == .approved })?.actor ?? "wharf")."
            case .done: "Done: \(subject)."
            case .failed: "Failed: \(subject)\(reason)."
            case .nearBreach: "Near SLA breach: \(subject).\(due)"
            }
        wharf = Detail(event: event, request: request.withoutSecrets)
    }
}

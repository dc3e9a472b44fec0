import Foundation

/// Asks for a lifecycle event on an instance. Tearing down needs the slug typed again as confirmation;
/// failing needs a reason.
public struct InstanceEventRequest: Codable, Sendable, Equatable {
    public var event: LifecycleEvent
    public var reason: String?
    public var confirm: String?

    public init(event: LifecycleEvent, reason: String? = nil, confirm: String? = nil) {
        self.event = event
        self.reason = reason
        self.confirm = confirm
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case event, reason, confirm }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        event = try c.decode(LifecycleEvent.self, forKey: .event)
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
        confirm = try c.decodeIfPresent(String.self, forKey: .confirm)
    }

    /// Applies the event to `instance` through the state machine, checking confirmation and reason.
    public func applied(to instance: Instance, now: Date) throws(WharfError) -> Instance {
        var v = Validator()
        if event == .tearDown, confirm != instance.slug {
            v.add("confirm", "confirmation_required", "type the instance slug '\(instance.slug)' to confirm tear-down")
        }
        if let reason = self.reason, reason.count > 1000 { v.add("reason", "too_long", "at most 1000 characters") }
        let reason = reason?.trimmingWhitespace()
        if event == .fail, reason?.isEmpty ?? true { v.add("reason", "required", "say why the instance failed") }
        try v.finish()
        var next = instance
        next.state = try InstanceLifecycle.next(from: instance.state, on: event)
        next.failureReason = next.state == .failed ? reason : nil
        next.updatedAt = now
        return next
    }
}

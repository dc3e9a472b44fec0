import Foundation

/// A request for a change to an instance (SPEC §1), with its SLA clocks and its whole history.
///
/// Parameters are kept redacted: a licence key appears only as its fingerprint. The only secret a
/// request ever carries, a password reset link, is attached to the response to its submission and
/// never stored.
public struct LifecycleRequest: Codable, Sendable, Equatable {
    public var id: String
    public var kind: RequestKind
    /// The slug of the instance the request is about.
    public var instance: String
    public var mode: RequestPolicy.Mode
    public var state: RequestState
    public var parameters: RequestParameters
    public var agreedAt: Date?
    public var submittedAt: Date
    public var submittedBy: String
    /// When the request was first answered (approved or rejected).
    public var respondedAt: Date?
    /// When it reached a final state.
    public var resolvedAt: Date?
    public var responseDue: Date?
    public var resolutionDue: Date?
    /// Where the resolution window opens, so the report can tell how much of it is left.
    public var resolutionStart: Date?
    public var extensions: [SLAExtension]
    public var transitions: [RequestTransition]
    /// Present only in the response to the submission of a `reset_admin_password` request.
    public var passwordReset: PasswordResetLink?

    public init(
        id: String, kind: RequestKind, instance: String, parameters: RequestParameters, agreedAt: Date?, submittedAt: Date, submittedBy: Actor,
        deadlines: RequestDeadlines
    ) {
        self.id = id
        self.kind = kind
        self.instance = instance
        self.mode = kind.policy.mode
        self.state = .submitted
        self.parameters = parameters.redacted
        self.agreedAt = agreedAt
        self.submittedAt = submittedAt
        self.submittedBy = submittedBy.auditName
        self.responseDue = deadlines.responseDue
        self.resolutionDue = deadlines.resolutionDue
        self.resolutionStart = deadlines.resolutionStart
        self.extensions = []
        self.transitions = [RequestTransition(state: .submitted, at: submittedAt, actor: submittedBy.auditName, reason: nil)]
    }

    /// The request after `event`, through the state machine: timestamps and history updated, or a clear
    /// refusal (an illegal transition, or a missing reason where one is needed).
    public func applying(_ event: RequestEvent, by actor: Actor, at now: Date, reason: String? = nil) throws(WharfError) -> LifecycleRequest {
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        var v = Validator()
        if RequestLifecycle.needsReason(event), reason?.isEmpty ?? true { v.add("reason", "required", "say why the request is \(event == .reject ? "rejected" : "failed")") }
        if let reason, reason.count > 2000 { v.add("reason", "too_long", "at most 2000 characters") }
        try v.finish()
        var next = self
        next.state = try RequestLifecycle.next(from: state, on: event)
        if event == .approve || event == .reject { next.respondedAt = now }
        if !next.state.isOpen { next.resolvedAt = now }
        next.transitions.append(RequestTransition(state: next.state, at: now, actor: actor.auditName, reason: reason?.isEmpty == true ? nil : reason))
        return next
    }

    /// The request with its resolution deadline moved on by `duration`.
    public func extended(by duration: SLADuration, reason: String, actor: Actor, at now: Date, calendar: WorkingCalendar) throws(WharfError) -> LifecycleRequest {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 2000 else { throw WharfError.invalid([FieldError("reason", "required", "say why the deadline moves (1 to 2000 characters)")]) }
        guard state.isOpen else { throw WharfError(.illegalTransition, "the request is \(state.rawValue); only open requests can be extended") }
        guard let due = resolutionDue else {
            throw WharfError(.conflict, "\(kind.rawValue) has no resolution deadline to extend")
        }
        var next = self
        next.resolutionDue = calendar.deadline(from: due, adding: duration)
        next.extensions.append(SLAExtension(duration: duration, reason: reason, at: now, actor: actor.auditName, previousDue: due, newDue: next.resolutionDue!))
        return next
    }

    /// Open requests with the same key contradict each other: `instance/group`, nil for kinds that
    /// conflict with nothing.
    public var conflictKey: String? { kind.policy.conflictGroup.map { "\(instance)/\($0.rawValue)" } }

    /// The request as it may be stored or sent again: without the one-time password reset link.
    public var withoutSecrets: LifecycleRequest {
        var copy = self
        copy.passwordReset = nil
        return copy
    }

    /// A request id that sorts by submission time: `req_` + the millisecond timestamp and random bits.
    public static func makeID(at now: Date) -> String {
        let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        var generator = SystemRandomNumberGenerator()
        let random = (0..<4).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return "req_" + String(millis, radix: 16).leftPadded(to: 12) + Hex.encode(random)
    }
}

/// One step in a request's history.
public struct RequestTransition: Codable, Sendable, Equatable {
    public var state: RequestState
    public var at: Date
    public var actor: String
    public var reason: String?
}

/// A moved resolution deadline, with why and by whom.
public struct SLAExtension: Codable, Sendable, Equatable {
    public var duration: SLADuration
    public var reason: String
    public var at: Date
    public var actor: String
    public var previousDue: Date
    public var newDue: Date
}

/// What asks for an extension.
public struct SLAExtensionDraft: Codable, Sendable, Equatable {
    public var duration: SLADuration
    public var reason: String

    public init(duration: SLADuration, reason: String) {
        self.duration = duration
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case duration, reason }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        duration = try c.decode(SLADuration.self, forKey: .duration)
        reason = try c.decode(String.self, forKey: .reason)
    }
}

/// A decision on a request: the reason is required to reject and optional otherwise.
public struct RequestDecision: Codable, Sendable, Equatable {
    public var reason: String?

    public init(reason: String? = nil) { self.reason = reason }

    enum CodingKeys: String, CodingKey, CaseIterable { case reason }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        reason = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(String.self, forKey: .reason)
    }
}

import Foundation

/// One event on its way to one webhook: attempts, outcome and when it is tried next.
public struct WebhookDelivery: Codable, Sendable, Equatable {
    public enum State: String, WireEnum { case pending, delivered, failed }

    public var id: String
    public var webhookID: String
    public var event: RequestEventKind
    public var requestID: String
    public var state: State
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var lastStatus: Int?
    public var lastError: String?
    public var createdAt: Date
    public var deliveredAt: Date?

    /// A new delivery of `event`, due at once.
    public init(eventID: String, webhookID: String, event: RequestEventKind, requestID: String, at now: Date) {
        self.id = "\(eventID)|\(webhookID)"
        self.webhookID = webhookID
        self.event = event
        self.requestID = requestID
        self.state = .pending
        self.attempts = 0
        self.nextAttemptAt = now
        self.createdAt = now
    }

    enum CodingKeys: String, CodingKey {
        case id, webhookID = "webhookId", event, requestID = "requestId", state, attempts, nextAttemptAt, lastStatus, lastError, createdAt, deliveredAt
    }

    /// Gives up after this many attempts (about a day of backoff).
    public static let maxAttempts = 10

    /// The wait after the `attempt`-th failure: 10 s doubling up to an hour.
    public static func backoff(afterAttempt attempt: Int) -> TimeInterval {
        min(3600, 10 * pow(2, Double(max(0, attempt - 1))))
    }
}

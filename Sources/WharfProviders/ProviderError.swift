import Foundation

/// Why a provider could not apply an action, and whether trying again can help: a port that was just
/// taken can be retried; a product binary that does not exist cannot.
public struct ProviderError: Error, Sendable, CustomStringConvertible {
    public var action: ProviderAction
    public var message: String
    public var retryable: Bool
    /// The earliest time a retry can succeed (the end of a crash backoff), when the provider knows it.
    public var retryAt: Date?

    public init(_ action: ProviderAction, _ message: String, retryable: Bool, retryAt: Date? = nil) {
        self.action = action
        self.message = message
        self.retryable = retryable
        self.retryAt = retryAt
    }

    public var description: String { "\(action) failed: \(message)\(retryable ? " (will be retried)" : "")" }
}

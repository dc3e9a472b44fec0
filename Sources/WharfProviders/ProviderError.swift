/// Why a provider could not apply an action, and whether trying again can help: a port that was just
/// taken can be retried; a product binary that does not exist cannot.
public struct ProviderError: Error, Sendable, CustomStringConvertible {
    public var action: ProviderAction
    public var message: String
    public var retryable: Bool

    public init(_ action: ProviderAction, _ message: String, retryable: Bool) {
        self.action = action
        self.message = message
        self.retryable = retryable
    }

    public var description: String { "\(action) failed: \(message)\(retryable ? " (will be retried)" : "")" }
}

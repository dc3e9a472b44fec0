/// One step a provider takes to move the world towards the registry. Every action is idempotent:
/// starting a running instance or stopping a stopped one changes nothing.
public enum ProviderAction: Sendable, Equatable, CustomStringConvertible {
    /// Start the product with the instance's data (created on first start).
    case start(slug: String)
    /// Stop the product, keeping its data.
    case stop(slug: String)
    /// Stop and start again, because what it runs with changed or a restart was asked for.
    case restart(slug: String, reason: String)
    /// Delete the data of a torn-down instance whose retention period has passed.
    case destroyData(slug: String)

    public var slug: String {
        switch self {
        case .start(let slug), .stop(let slug), .restart(let slug, _), .destroyData(let slug): slug
        }
    }

    public var description: String {
        switch self {
        case .start(let slug): "start \(slug)"
        case .stop(let slug): "stop \(slug)"
        case .restart(let slug, let reason): "restart \(slug) (\(reason))"
        case .destroyData(let slug): "destroy the data of \(slug)"
        }
    }
}

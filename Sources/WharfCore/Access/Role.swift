/// What a token may do (SPEC §12). Roles are ordered by power but checked through permissions, so adding
/// a route means naming the permission it needs, not comparing roles.
public enum Role: String, WireEnum {
    case admin, `operator`, requester, viewer

    public func allows(_ permission: Permission) -> Bool {
        switch self {
        case .admin: true
        case .operator: permission != .manageTokens && permission != .manageGateway
        case .requester: permission == .read || permission == .requestInstances
        case .viewer: permission == .read
        }
    }
}

/// The permissions routes check.
public enum Permission: String, Sendable, CaseIterable {
    /// Read the registry: instances and customers.
    case read
    /// Create instances and customers (self-service).
    case requestInstances = "request_instances"
    /// Change instances and customers, and drive lifecycle events.
    case manageRegistry = "manage_registry"
    /// Read and verify the audit log.
    case readAudit = "read_audit"
    /// Create, list and revoke API tokens.
    case manageTokens = "manage_tokens"
    /// Register and remove outgoing webhooks and see their deliveries.
    case manageWebhooks = "manage_webhooks"
    /// Set and remove the AI gateway's provider URLs and keys.
    case manageGateway = "manage_gateway"
}

import WharfCore

/// The filters of an instance listing, as the client sends them.
public struct InstanceFilter: Sendable, Equatable {
    public var state: InstanceState?
    public var plan: Plan?
    public var channel: ReleaseChannel?
    public var customerID: String?

    public init(state: InstanceState? = nil, plan: Plan? = nil, channel: ReleaseChannel? = nil, customerID: String? = nil) {
        self.state = state
        self.plan = plan
        self.channel = channel
        self.customerID = customerID
    }

    var parameters: [(String, String?)] {
        [("state", state?.rawValue), ("plan", plan?.rawValue), ("channel", channel?.rawValue), ("customer", customerID)]
    }
}

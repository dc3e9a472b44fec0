/// Filters and paging for listing instances; every filter is optional and they combine with AND.
public struct InstanceQuery: Sendable, Equatable {
    public static let defaultLimit = 50
    public static let maxLimit = 500

    public var state: InstanceState?
    public var plan: Plan?
    public var channel: ReleaseChannel?
    public var customerID: String?
    /// Return instances whose slug sorts after this one.
    public var after: String?
    public var limit: Int

    public init(state: InstanceState? = nil, plan: Plan? = nil, channel: ReleaseChannel? = nil, customerID: String? = nil, after: String? = nil, limit: Int = defaultLimit) {
        self.state = state
        self.plan = plan
        self.channel = channel
        self.customerID = customerID
        self.after = after
        self.limit = limit
    }

    /// Parses URL query parameters (`state`, `plan`, `channel`, `customer`, `cursor`, `limit`), reporting every
    /// bad one with its name.
    public static func parse(_ parameters: [String: String]) throws(WharfError) -> InstanceQuery {
        var v = Validator()
        var query = InstanceQuery()
        query.state = parameters["state"].flatMap { raw in v.check("state") { () throws(FieldProblem) in try InstanceState.parse(raw) } }
        query.plan = parameters["plan"].flatMap { raw in v.check("plan") { () throws(FieldProblem) in try Plan.parse(raw) } }
        query.channel = parameters["channel"].flatMap { raw in v.check("channel") { () throws(FieldProblem) in try ReleaseChannel.parse(raw) } }
        query.customerID = parameters["customer"].flatMap { raw in v.check("customer") { () throws(FieldProblem) in try Slug.parse(raw) } }
        query.after = parameters["cursor"].flatMap { raw in v.check("cursor") { () throws(FieldProblem) in try Cursor.decode(raw) } }
        query.limit = parameters["limit"].flatMap { raw in v.check("limit") { () throws(FieldProblem) in try parseLimit(raw) } } ?? defaultLimit
        try v.finish()
        return query
    }

    public static func parseLimit(_ raw: String) throws(FieldProblem) -> Int {
        guard let value = Int(raw), (1...maxLimit).contains(value) else {
            throw FieldProblem("out_of_range", "must be a whole number from 1 to \(maxLimit) (got '\(raw)')")
        }
        return value
    }
}

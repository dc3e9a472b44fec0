/// Filters and paging for listing requests, oldest first; filters combine with AND.
public struct RequestQuery: Sendable, Equatable {
    public var state: RequestState?
    /// Only requests that are still open (submitted, approved or in progress).
    public var openOnly: Bool
    public var kind: RequestKind?
    public var instance: String?
    /// Return requests whose id sorts after this one.
    public var after: String?
    public var limit: Int

    public init(state: RequestState? = nil, openOnly: Bool = false, kind: RequestKind? = nil, instance: String? = nil, after: String? = nil, limit: Int = InstanceQuery.defaultLimit) {
        self.state = state
        self.openOnly = openOnly
        self.kind = kind
        self.instance = instance
        self.after = after
        self.limit = limit
    }

    /// Parses URL query parameters (`state`, `open`, `kind`, `instance`, `cursor`, `limit`).
    public static func parse(_ parameters: [String: String]) throws(WharfError) -> RequestQuery {
        var v = Validator()
        var query = RequestQuery()
        query.state = parameters["state"].flatMap { raw in v.check("state") { () throws(FieldProblem) in try RequestState.parse(raw) } }
        if let raw = parameters["open"] {
            switch raw {
            case "true": query.openOnly = true
            case "false": query.openOnly = false
            default: v.add("open", "invalid_value", "must be true or false (got '\(raw)')")
            }
        }
        query.kind = parameters["kind"].flatMap { raw in v.check("kind") { () throws(FieldProblem) in try RequestKind.parse(raw) } }
        query.instance = parameters["instance"].flatMap { raw in v.check("instance") { () throws(FieldProblem) in try Slug.parse(raw) } }
        query.after = parameters["cursor"].flatMap { raw in v.check("cursor") { () throws(FieldProblem) in try Cursor.decode(raw) } }
        query.limit = parameters["limit"].flatMap { raw in v.check("limit") { () throws(FieldProblem) in try InstanceQuery.parseLimit(raw) } } ?? InstanceQuery.defaultLimit
        try v.finish()
        return query
    }
}

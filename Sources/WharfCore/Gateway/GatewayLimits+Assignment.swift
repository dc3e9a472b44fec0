extension GatewayLimits {
    /// Applies one `FEATURE.SETTING=VALUE` as the CLI takes it: `chat.requests.day=500`,
    /// `code_completion.tokens.month=2000000`, `chat.concurrency=5`, `chat.models=claude-*,gpt-4.1`;
    /// the value `plan` drops the override so the plan's limit applies again.
    public mutating func assign(_ assignment: String) throws(FieldProblem) {
        let usage = "write FEATURE.SETTING=VALUE, such as chat.requests.day=500 (got '\(assignment)')"
        guard let equals = assignment.firstIndex(of: "=") else { throw FieldProblem("invalid_assignment", usage) }
        let path = assignment[..<equals].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let value = String(assignment[assignment.index(after: equals)...])
        guard let first = path.first, let feature = GatewayFeature(rawValue: first) else {
            throw FieldProblem("unknown_feature", "the feature must be one of \(GatewayFeature.allCases.map(\.rawValue).joined(separator: ", ")); \(usage)")
        }
        let inherit = value == "plan"
        var limits = self[feature]
        let setting = Array(path.dropFirst())
        if setting == ["models"] {
            limits.models = inherit ? nil : value.split(separator: ",").map { String($0) }
        } else if setting == ["concurrency"] {
            limits.concurrency = inherit ? nil : try Self.count(value, in: assignment)
        } else if setting.count == 2, ["requests", "tokens"].contains(setting[0]) {
            guard let window = LimitWindow(rawValue: setting[1]) else {
                throw FieldProblem("unknown_window", "the window must be minute, day or month; \(usage)")
            }
            var windows = (setting[0] == "requests" ? limits.requests : limits.tokens) ?? WindowLimits()
            windows[window] = inherit ? nil : try Self.count(value, in: assignment)
            if setting[0] == "requests" { limits.requests = windows } else { limits.tokens = windows }
        } else {
            throw FieldProblem("unknown_setting", "the setting must be requests.WINDOW, tokens.WINDOW, concurrency or models; \(usage)")
        }
        features[feature] = limits
    }

    private static func count(_ value: String, in assignment: String) throws(FieldProblem) -> Int {
        guard let count = Int(value), count >= 0 else {
            throw FieldProblem("invalid_count", "the value must be a whole number, or plan for the plan's limit (got '\(assignment)')")
        }
        return count
    }
}

/// The body of `/-/healthz`: named checks, each passing or not with a short detail. The endpoint answers
/// 200 when every check passes and 503 otherwise.
public struct HealthReport: Codable, Sendable, Equatable {
    public struct Check: Codable, Sendable, Equatable {
        public var ok: Bool
        public var detail: String?

        public init(ok: Bool, detail: String? = nil) {
            self.ok = ok
            self.detail = detail
        }
    }

    public var checks: [String: Check] = [:]

    public init(checks: [String: Check] = [:]) { self.checks = checks }

    public var healthy: Bool { checks.values.allSatisfy(\.ok) }

    public mutating func record(_ name: String, ok: Bool, detail: String? = nil) {
        checks[name] = Check(ok: ok, detail: detail)
    }
}

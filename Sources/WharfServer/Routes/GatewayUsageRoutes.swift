import Foundation
import Hummingbird
import WharfCore
import WharfStore

extension Handlers {
    /// What instances used through the AI gateway, for billing and analytics.
    func addGatewayUsageRoutes(to router: RouterGroup<WharfRequestContext>) {
        router.get("gateway/usage") { request, context in
            _ = try context.require(.read)
            let query = Self.queryParameters(request)
            let today = LimitWindow.day.start(of: Date())
            var v = Validator()
            let since = v.check("since") { () throws(FieldProblem) in try Self.day(query["since"]) ?? LimitWindow.month.start(of: today) }
            let until = v.check("until") { () throws(FieldProblem) in try Self.day(query["until"]) ?? today }
            if let since, let until, since > until { v.add("since", "after_until", "must not be after until") }
            if let slug = query["instance"] { _ = v.check("instance") { () throws(FieldProblem) in try Slug.parse(slug) } }
            try v.finish()
            let days = try await store.gatewayUsageSummary(since: since!, until: until!.addingTimeInterval(86_400), instance: query["instance"])
            return try JSONResponse.make(GatewayUsageReport(since: Self.dayFormat(since!), until: Self.dayFormat(until!), days: days))
        }
    }

    /// A UTC day given as `YYYY-MM-DD`.
    static func day(_ text: String?) throws(FieldProblem) -> Date? {
        guard let text else { return nil }
        guard text.count == 10, let date = try? Date(text, strategy: Date.ISO8601FormatStyle().year().month().day()) else {
            throw FieldProblem("invalid_date", "must be a day as YYYY-MM-DD (got '\(text)')")
        }
        return date
    }

    static func dayFormat(_ date: Date) -> String { date.formatted(Date.ISO8601FormatStyle().year().month().day()) }
}

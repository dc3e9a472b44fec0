import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import Mustache
import WharfCore
import WharfRuntime

/// Wharf's demo product: a small notes site that stands in for the customer's self-hosted product in the
/// local fleet. It has pages and a JSON API over its own database, a site configuration read at start,
/// an admin whose password is set through Wharf's reset links, and the licence key and telemetry flag
/// from its environment on its about page. Its version (a flag, `SERVICE_VERSION`) decides its schema:
/// 5.3.0 added pinned notes.
public struct DemoProduct: WharfService {
    public static let name = "demo-product"
    public static let version = "5.2.0"
    public static var settings: [ContractVariable] {
        [
            ContractVariable("SITE_CONFIG", help: "JSON file with the site's title, banner and accent colour, read at start"),
            ContractVariable("ADMIN_EMAIL", help: "the admin account's e-mail", default: "admin@localhost"),
            ContractVariable("LICENCE_KEY", help: "the licence key; shown on /about only as its fingerprint"),
            ContractVariable("TELEMETRY", help: "true or false: whether usage telemetry is on", default: "true"),
        ]
    }

    public static func migrations(for version: String) -> [Migration] { DemoSchema.migrations(for: version) }

    let contract: RuntimeContract
    let site: SiteConfiguration
    let notes: NoteRepository
    let admin: AdminAccount
    let licenceFingerprint: String?
    let telemetry: Bool
    let pages: MustacheLibrary
    let logger: Logger

    public init(context: RuntimeContext) async throws {
        guard let database = context.database else { throw WharfError(.configuration, "DATABASE_URL (or SQLITE_PATH) must be set") }
        contract = context.contract
        site = try SiteConfiguration.load(path: context.setting("SITE_CONFIG"))
        let email = context.setting("ADMIN_EMAIL") ?? "admin@localhost"
        guard (try? EmailAddress.parse(email)) != nil || email == "admin@localhost" else {
            throw WharfError(.configuration, "ADMIN_EMAIL must be an e-mail address (got '\(email)')")
        }
        switch context.setting("TELEMETRY") ?? "true" {
        case "true": telemetry = true
        case "false": telemetry = false
        case let other: throw WharfError(.configuration, "TELEMETRY must be true or false (got '\(other)')")
        }
        licenceFingerprint = context.setting("LICENCE_KEY").map(LicenceKey.fingerprint)
        notes = NoteRepository(database: database, pinning: DemoSchema.supportsPinning(context.contract.serviceVersion))
        admin = AdminAccount(database: database, email: email)
        guard let templates = Bundle.module.resourceURL?.appendingPathComponent("templates").path else {
            throw WharfError(.internalError, "the demo product's page templates are missing from the build")
        }
        pages = try await MustacheLibrary(directory: templates)
        logger = context.logger
    }

    public func addRoutes(to router: Router<RuntimeRequestContext>) {
        addPageRoutes(to: router)
        addAPIRoutes(to: router)
        addAdminRoutes(to: router)
    }

    /// Renders a page inside the layout, with the site configuration every page shows.
    func page(_ template: String, title: String, _ values: [String: Any] = [:], status: HTTPResponse.Status = .ok) -> Response {
        var object = values
        object["title"] = title
        object["site"] = ["title": site.title, "banner": site.banner as Any, "accentColor": site.accentColor]
        let html = pages.render(object, withTemplate: template) ?? "template \(template) is missing"
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}

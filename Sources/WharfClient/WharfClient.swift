import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import WharfCore

/// A typed client for the Wharf API. Server problems come back as the `WharfError` the server threw
/// (code, message, field problems); a server that cannot be reached is an `unreachable` error.
public struct WharfClient: Sendable {
    public let baseURL: String
    let token: String?
    let http: HTTPClient

    public init(baseURL: String, token: String?, http: HTTPClient = .shared) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.http = http
    }

    // MARK: Instances

    public func instances(_ filter: InstanceFilter = InstanceFilter(), cursor: String? = nil, limit: Int? = nil) async throws -> Page<Instance> {
        try await send(.GET, "/v1/instances", query: filter.parameters + [("cursor", cursor), ("limit", limit.map(String.init))])
    }

    /// Every instance matching `filter`, following cursors page by page.
    public func allInstances(_ filter: InstanceFilter = InstanceFilter()) async throws -> [Instance] {
        try await allPages { cursor in try await instances(filter, cursor: cursor, limit: InstanceQuery.maxLimit) }
    }

    public func instance(_ slug: String) async throws -> Instance { try await send(.GET, "/v1/instances/\(escaped(slug))") }

    public func createInstance(_ draft: InstanceDraft, idempotencyKey: String? = nil) async throws -> Instance {
        try await send(.POST, "/v1/instances", body: draft, headers: idempotencyKey.map { ["Idempotency-Key": $0] } ?? [:])
    }

    public func updateInstance(_ slug: String, _ patch: InstancePatch) async throws -> Instance {
        try await send(.PATCH, "/v1/instances/\(escaped(slug))", body: patch)
    }

    public func applyEvent(_ slug: String, _ event: InstanceEventRequest) async throws -> Instance {
        try await send(.POST, "/v1/instances/\(escaped(slug))/events", body: event)
    }

    /// Proves ownership of a custom domain with its verification token.
    public func verifyDomain(_ slug: String, domain: String, token: String) async throws -> Instance {
        try await send(.POST, "/v1/instances/\(escaped(slug))/domains/\(escaped(domain))/verify", body: DomainVerificationRequest(token: token))
    }

    public func health(_ slug: String) async throws -> InstanceHealth { try await send(.GET, "/v1/instances/\(escaped(slug))/health") }

    /// The last `lines` log lines of the instance's product, or those after `offset`.
    public func logs(_ slug: String, lines: Int? = nil, offset: Int? = nil) async throws -> InstanceLogs {
        try await send(.GET, "/v1/instances/\(escaped(slug))/logs", query: [("lines", lines.map(String.init)), ("offset", offset.map(String.init))])
    }

    /// The instance's AI gateway token; reading it is audited.
    public func gatewayToken(_ slug: String) async throws -> GatewayTokenAnswer { try await send(.GET, "/v1/instances/\(escaped(slug))/gateway-token") }

    /// AI gateway usage per instance, feature and day; days are `YYYY-MM-DD`, nil for the defaults (this
    /// month up to today).
    public func gatewayUsage(since: String? = nil, until: String? = nil, instance: String? = nil) async throws -> GatewayUsageReport {
        try await send(.GET, "/v1/gateway/usage", query: [("since", since), ("until", until), ("instance", instance)])
    }

    public func history(_ slug: String, cursor: String? = nil) async throws -> Page<AuditEntry> {
        try await send(.GET, "/v1/instances/\(escaped(slug))/history", query: [("cursor", cursor), ("limit", "500")])
    }

    // MARK: Customers

    public func customers(cursor: String? = nil, limit: Int? = nil) async throws -> Page<Customer> {
        try await send(.GET, "/v1/customers", query: [("cursor", cursor), ("limit", limit.map(String.init))])
    }

    /// Every customer, following cursors page by page.
    public func allCustomers() async throws -> [Customer] {
        try await allPages { cursor in try await customers(cursor: cursor, limit: InstanceQuery.maxLimit) }
    }

    public func customer(_ id: String) async throws -> Customer { try await send(.GET, "/v1/customers/\(escaped(id))") }

    public func createCustomer(_ draft: CustomerDraft, idempotencyKey: String? = nil) async throws -> Customer {
        try await send(.POST, "/v1/customers", body: draft, headers: idempotencyKey.map { ["Idempotency-Key": $0] } ?? [:])
    }

    public func updateCustomer(_ id: String, _ patch: CustomerPatch) async throws -> Customer {
        try await send(.PATCH, "/v1/customers/\(escaped(id))", body: patch)
    }

    // MARK: Access and audit

    public func me() async throws -> Actor { try await send(.GET, "/v1/me") }
    public func tokens() async throws -> [APIToken] { (try await send(.GET, "/v1/tokens") as Page<APIToken>).items }
    public func createToken(_ draft: TokenDraft) async throws -> IssuedToken { try await send(.POST, "/v1/tokens", body: draft) }
    public func revokeToken(_ id: String) async throws -> APIToken { try await send(.DELETE, "/v1/tokens/\(escaped(id))") }

    public func audit(target: String? = nil, cursor: String? = nil, limit: Int? = nil) async throws -> Page<AuditEntry> {
        try await send(.GET, "/v1/audit", query: [("target", target), ("cursor", cursor), ("limit", limit.map(String.init))])
    }

    public func verifyAudit() async throws -> AuditVerification { try await send(.GET, "/v1/audit/verify") }

    // MARK: Transport

    /// Collects the items of every page, starting without a cursor and following `nextCursor`.
    func allPages<Item: Codable & Sendable>(_ fetch: (String?) async throws -> Page<Item>) async throws -> [Item] {
        var items: [Item] = []
        var cursor: String?
        repeat {
            let page = try await fetch(cursor)
            items += page.items
            cursor = page.nextCursor
        } while cursor != nil
        return items
    }

    func send<Response: Decodable>(
        _ method: HTTPMethod, _ path: String, query: [(String, String?)] = [], body: (some Encodable & Sendable)? = Optional<String>.none,
        headers extra: [String: String] = [:]
    ) async throws -> Response {
        var components = URLComponents(string: baseURL + path)
        let items = query.compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
        if !items.isEmpty { components?.queryItems = items }
        guard let url = components?.string else { throw WharfError(.configuration, "'\(baseURL)' is not a valid server URL") }
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try WharfJSON.encoder().encode(body)))
        }
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            response = try await http.execute(request, timeout: .seconds(60))
            bytes = try await response.body.collect(upTo: 256 * 1024 * 1024)
        } catch {
            throw WharfError(.unreachable, "cannot reach Wharf at \(baseURL): \(error); is `wharf serve` running, and is WHARF_URL right?")
        }
        let data = Data(buffer: bytes)
        guard (200..<300).contains(response.status.code) else {
            if let problem = try? WharfJSON.lenientDecoder().decode(Problem.self, from: data) { throw problem.wharfError }
            throw WharfError(.internalError, "the server answered \(response.status.code) without a problem detail")
        }
        return try WharfJSON.lenientDecoder().decode(Response.self, from: data)
    }

    func escaped(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? segment
    }
}

import Foundation

/// An outgoing webhook: where Wharf posts request events. The URL is a secret (Slack's incoming webhook
/// URLs carry their credential), so it is stored sealed and shown only as its host.
public struct Webhook: Codable, Sendable, Equatable {
    public var id: String
    public var name: String
    /// `https://hooks.example.com/…`: scheme and host only.
    public var target: String
    public var events: [RequestEventKind]
    public var createdAt: Date
    public var createdBy: String

    public init(id: String, name: String, target: String, events: [RequestEventKind], createdAt: Date, createdBy: String) {
        self.id = id
        self.name = name
        self.target = target
        self.events = events
        self.createdAt = createdAt
        self.createdBy = createdBy
    }
}

/// What registers a webhook.
public struct WebhookDraft: Codable, Sendable, Equatable {
    public var name: String
    public var url: String
    /// The events to send; all of them when absent.
    public var events: [RequestEventKind]?

    public init(name: String, url: String, events: [RequestEventKind]? = nil) {
        self.name = name
        self.url = url
        self.events = events
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, url, events }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        url = try c.decode(String.self, forKey: .url)
        events = try c.decodeIfPresent([RequestEventKind].self, forKey: .events)
    }

    /// Checks every member and returns the record (without its id) and the URL to seal.
    public func validated() throws(WharfError) -> (name: String, url: URL, target: String, events: [RequestEventKind]) {
        var v = Validator()
        let name = v.check("name") { () throws(FieldProblem) in try Customer.parseName(self.name) } ?? self.name
        let parsed = URLComponents(string: url)
        let scheme = parsed?.scheme?.lowercased()
        if parsed?.host?.isEmpty ?? true || !["http", "https"].contains(scheme ?? "") || url.count > 2048 {
            v.add("url", "invalid_url", "must be an http or https URL of at most 2048 characters, like https://hooks.slack.com/services/…")
        }
        if let events, events.isEmpty { v.add("events", "empty", "list at least one event, or leave events out to get all of them") }
        try v.finish()
        let events = Array(Set(events ?? RequestEventKind.allCases)).sorted { $0.rawValue < $1.rawValue }
        return (name, URL(string: url)!, "\(scheme!)://\(parsed!.host!)", events)
    }
}

import Foundation

/// What a requester sends to ask for a change: the kind, the instance it is about, the kind's parameters,
/// and optionally the date the change was agreed for (which starts some resolution clocks).
public struct RequestSubmission: Codable, Sendable, Equatable {
    public var kind: RequestKind
    /// The instance's slug; for the kinds that create one it comes from `parameters.instance.slug`.
    public var instance: String?
    public var parameters: RequestParameters
    public var agreedAt: Date?

    public init(kind: RequestKind, instance: String? = nil, parameters: RequestParameters = RequestParameters(), agreedAt: Date? = nil) {
        self.kind = kind
        self.instance = instance
        self.parameters = parameters
        self.agreedAt = agreedAt
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case kind, instance, parameters, agreedAt }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(RequestKind.self, forKey: .kind)
        instance = try c.decodeIfPresent(String.self, forKey: .instance)
        parameters = try c.decodeIfPresent(RequestParameters.self, forKey: .parameters) ?? RequestParameters()
        agreedAt = try c.decodeIfPresent(Date.self, forKey: .agreedAt)
    }

    /// Checks everything that can be checked without the store, reporting every problem at once, and
    /// returns the submission normalised (slug resolved, CIDRs and domains in canonical form).
    public func validated(now: Date) throws(WharfError) -> RequestSubmission {
        var v = Validator()
        var result = self
        result.parameters.validate(for: kind, into: &v)
        if kind.createsInstance {
            let slug = parameters.instance?.slug
            if let instance, let slug, instance != slug {
                v.add("instance", "mismatch", "is '\(instance)' but parameters.instance.slug is '\(slug)'; give one or make them equal")
            }
            result.instance = slug ?? instance
        } else if let instance {
            result.instance = v.check("instance") { () throws(FieldProblem) in try Slug.parse(instance) } ?? instance
        } else {
            v.add("instance", "required", "name the instance (its slug) that \(kind.rawValue) is for")
        }
        if kind == .tearDown, let confirm = parameters.confirm, let slug = result.instance, confirm != slug {
            v.add("parameters.confirm", "confirmation_mismatch", "type the instance's slug '\(slug)' to confirm the tear-down (got '\(confirm)')")
        }
        if let agreedAt {
            if kind.policy.resolutionFrom != .agreement {
                v.add("agreedAt", "not_applicable", "\(kind.rawValue) has no clock that starts at an agreed date")
            } else if agreedAt < now {
                v.add("agreedAt", "in_past", "must not be before now (\(WharfJSON.timestamp(now)))")
            }
        }
        try v.finish()
        return result
    }
}

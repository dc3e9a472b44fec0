/// A customer-owned hostname routed to the instance once its DNS ownership is verified.
public struct CustomDomain: Codable, Sendable, Equatable {
    public var domain: String
    public var verification: DomainVerification

    public init(domain: String, verification: DomainVerification = .pending) {
        self.domain = domain
        self.verification = verification
    }
}

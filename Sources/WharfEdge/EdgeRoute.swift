/// Where the edge sends requests for one host, and who may reach it.
struct EdgeRoute: Sendable, Equatable {
    enum Target: Sendable, Equatable {
        /// The instance runs and answers at this loopback address.
        case ready(host: String, port: Int)
        case suspended
        /// Being created, restarted or healed; the page says to try again shortly.
        case notReady
    }

    var slug: String
    var target: Target
    /// Empty: everyone may connect.
    var allowlist: [IPNetwork]

    func admits(_ address: [UInt8]?) -> Bool {
        guard !allowlist.isEmpty else { return true }
        guard let address else { return false }
        return allowlist.contains { $0.contains(address) }
    }
}

import Testing
import WharfCore

@testable import WharfServer

@Suite("Server configuration")
struct ServerConfigurationTests {
    @Test("the edge's port and threads come from WHARF_EDGE_*, with defaults that need nothing set")
    func edge() throws {
        let defaults = try ServerConfiguration.fromEnvironment([:])
        #expect(defaults.edgePort == 8421 && defaults.edgeThreads >= 1 && defaults.baseDomain == "localhost")
        let set = try ServerConfiguration.fromEnvironment(["WHARF_EDGE_PORT": "0", "WHARF_EDGE_THREADS": "3"])
        #expect(set.edgePort == 0 && set.edgeThreads == 3)
    }

    @Test("each bad value is refused naming its variable and what would be valid")
    func refuses() {
        let cases = [
            ("WHARF_EDGE_PORT", "http"), ("WHARF_EDGE_PORT", "70000"), ("WHARF_EDGE_THREADS", "0"), ("WHARF_EDGE_THREADS", "many"),
            ("WHARF_RECONCILE", "yes"), ("WHARF_BASE_DOMAIN", "not a domain"),
        ]
        for (name, value) in cases {
            let error = #expect(throws: WharfError.self) { try ServerConfiguration.fromEnvironment([name: value]) }
            #expect(error?.code == .configuration && error?.message.contains(name) == true, "\(name)=\(value)")
        }
    }
}

import Foundation
import NIOHTTP1
import Testing
import WharfCore
import WharfDemoProduct
import WharfRuntime
import WharfTesting

@Suite("Demo product versions")
struct UpgradeTests {
    static func version(_ version: String, _ database: [String: String]) -> [String: String] {
        database.merging(["SERVICE_VERSION": version]) { $1 }
    }

    @Test("5.2.0 and 5.3.0 run side by side; the upgrade migrates the data; 5.2.0 then refuses the newer schema", arguments: [EngineKind.sqlite, .postgres])
    func upgrade(engine: EngineKind) async throws {
        try await TestRuntime.withDatabase(engine) { database in
            try await TestRuntime.withDatabase(engine) { other in
                try await TestRuntime.with(DemoProduct.self, environment: Self.version("5.2.0", database)) { old in
                    try await TestRuntime.with(DemoProduct.self, environment: Self.version("5.3.0", other)) { new in
                        #expect(try await old.request(.GET, "/-/version").body.contains(#""version":"5.2.0""#))
                        #expect(try await new.request(.GET, "/-/version").body.contains(#""version":"5.3.0""#))
                        let refused = try await old.request(.POST, "/api/notes", headers: [("Content-Type", "application/json")], body: #"{"title":"x","pinned":true}"#)
                        #expect(refused.status == 422 && refused.body.contains("5.3.0"))
                        #expect(try await old.request(.POST, "/api/notes", headers: [("Content-Type", "application/json")], body: #"{"title":"kept"}"#).status == 201)
                    }
                }
            }
            try await TestRuntime.with(DemoProduct.self, environment: Self.version("5.3.0", database)) { upgraded in
                let notes = try await upgraded.request(.GET, "/api/notes").body
                #expect(notes.contains(#""title":"kept""#) && notes.contains(#""pinned":false"#))
            }
            let downgrade = await #expect(throws: WharfError.self) {
                try await TestRuntime.with(DemoProduct.self, environment: Self.version("5.2.0", database)) { _ in }
            }
            #expect(downgrade?.code == .schemaTooNew)
        }
    }
}

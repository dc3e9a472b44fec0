import Foundation
import SQLKit
import Testing
import WharfCore
import WharfRuntime
import WharfTesting

@testable import WharfStore

@Suite("AI gateway provider keys")
struct GatewayProviderStoreTests {
    @Test("a provider key is sealed in the database: its text is not there, and the store opens it with the master key", arguments: TestStore.engines)
    func sealedAtRest(engine: EngineKind) async throws {
        try await TestStore.with(engine) { store in
            let key = "sk-ant-api03-very-secret-provider-key"
            _ = try await store.setGatewayProvider(api: "anthropic", GatewayProviderUpdate(apiKey: key), actor: Fixtures.operatorActor)
            let opened = try await store.gatewayProviderKeys()["anthropic"]
            #expect(opened?.apiKey == key && opened?.baseURL == "https://api.anthropic.com")
            let rows = try await store.read { db in
                try await db.select().columns("doc", "key_sealed").from("wharf_gateway_providers").all().map {
                    (try $0.decode(column: "doc", as: String.self), try $0.decode(column: "key_sealed", as: Data.self))
                }
            }
            #expect(rows.count == 1)
            for (doc, sealed) in rows {
                #expect(!doc.contains(key) && sealed.range(of: Data(key.utf8)) == nil)
            }
            // Rotating replaces the key; an unknown API is not found.
            _ = try await store.setGatewayProvider(api: "anthropic", GatewayProviderUpdate(apiKey: "sk-rotated-key-0042"), actor: Fixtures.operatorActor)
            #expect(try await store.gatewayProviders().map(\.keyHint) == ["…0042"])
            await #expect(throws: WharfError.self) { try await store.setGatewayProvider(api: "gemini", GatewayProviderUpdate(apiKey: "k"), actor: Fixtures.operatorActor) }
        }
    }
}

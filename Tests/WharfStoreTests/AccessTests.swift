import SQLKit
import Testing
import WharfCore
import WharfRuntime
import WharfTesting

@testable import WharfStore

@Suite("Tokens and audit chain")
struct AccessTests {
    @Test("tokens are stored hashed, authenticate until revoked", arguments: TestStore.engines)
    func tokens(engine: EngineKind) async throws {
        try await TestStore.with(engine) { store in
            let first = try #require(try await store.createInitialAdminToken())
            #expect(try await store.createInitialAdminToken() == nil)
            let issued = try await store.createToken(TokenDraft(name: "ci", role: .viewer), actor: first.token.actor)
            #expect(try await store.authenticate(secret: issued.secret)?.role == .viewer)
            let stored = try await store.read { db in try await db.select().columns("*").from("wharf_tokens").all() }
            for row in stored {
                #expect(!(try row.decode(column: "doc", as: String.self)).contains(issued.secret))
                #expect(try row.decode(column: "secret_hash", as: String.self) != issued.secret)
            }
            _ = try await store.revokeToken(id: issued.token.id, actor: first.token.actor)
            #expect(try await store.authenticate(secret: issued.secret) == nil)
            #expect(try await store.authenticate(secret: "wharf_not-a-token") == nil)
            #expect(Set(try await store.tokens().map(\.name)) == ["initial admin", "ci"])
        }
    }

    @Test("the audit chain verifies, and names the first changed or removed entry", arguments: TestStore.engines)
    func chain(engine: EngineKind) async throws {
        try await TestStore.with(engine) { store in
            for id in ["aaa", "bbb", "ccc", "ddd"] { _ = try await store.createCustomer(Fixtures.customer(id), actor: Fixtures.operatorActor) }
            #expect(try await store.verifyAudit() == AuditVerification(intact: true, entries: 4, failure: nil))

            try await store.write { db in try await db.update("wharf_audit_log").set("actor", to: SQLBind("someone else")).where("seq", .equal, SQLBind(2)).run() }
            let result = try await store.verifyAudit()
            #expect(!result.intact && result.failure?.seq == 2)
            #expect(result.failure?.problem.contains("changed") == true)
        }
        try await TestStore.with(engine) { store in
            for id in ["aaa", "bbb", "ccc", "ddd"] { _ = try await store.createCustomer(Fixtures.customer(id), actor: Fixtures.operatorActor) }
            try await store.write { db in try await db.delete(from: "wharf_audit_log").where("seq", .equal, SQLBind(3)).run() }
            let middle = try await store.verifyAudit()
            #expect(!middle.intact && middle.failure?.seq == 3)
            #expect(middle.failure?.problem.contains("missing") == true)
        }
        try await TestStore.with(engine) { store in
            for id in ["aaa", "bbb", "ccc"] { _ = try await store.createCustomer(Fixtures.customer(id), actor: Fixtures.operatorActor) }
            try await store.write { db in try await db.delete(from: "wharf_audit_log").where("seq", .equal, SQLBind(3)).run() }
            let tail = try await store.verifyAudit()
            #expect(!tail.intact && tail.failure?.seq == 3)
            #expect(tail.failure?.problem.contains("removed") == true)
        }
    }
}

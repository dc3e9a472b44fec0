import Foundation
import NIOHTTP1
import Testing
import WharfClient
import WharfCore
import WharfDemoProduct
import WharfRuntime
import WharfTesting

@Suite("Demo product admin")
struct PasswordResetTests {
    @Test("a reset link from Wharf sets the admin password once; the admin then signs in and may delete notes")
    func resetThroughWharf() async throws {
        try await TestServer.live { wharfURL, adminToken in
            let client = WharfClient(baseURL: wharfURL, token: adminToken)
            _ = try await client.createCustomer(CustomerDraft(id: "acme", name: "Acme", contactEmail: "ops@acme.example.com"))
            _ = try await client.createInstance(InstanceDraft(slug: "acme-prod", customerID: "acme", plan: .business, productVersion: "5.2.0", adminEmail: "admin@acme.example.com"))
            let request = try await client.submitRequest(RequestSubmission(kind: .resetAdminPassword, instance: "acme-prod"))
            let link = try #require(request.passwordReset)
            let token = String(link.url.split(separator: "token=").last!)

            try await TestRuntime.withDatabase(.sqlite) { database in
                let environment = database.merging(["WHARF": wharfURL, "ENVIRONMENT_ID": "acme-prod", "ADMIN_EMAIL": "admin@acme.example.com"]) { $1 }
                try await TestRuntime.with(DemoProduct.self, environment: environment) { product in
                    let form = [("Content-Type", "application/x-www-form-urlencoded")]
                    #expect(try await product.request(.GET, "/admin").body.contains("No admin password is set yet"))
                    let short = try await product.request(.POST, "/-/reset-password", headers: form, body: "token=\(token)&password=short")
                    #expect(short.status == 422)
                    let reset = try await product.request(.POST, "/-/reset-password", headers: form, body: "token=\(token)&password=correct-horse-battery")
                    #expect(reset.status == 200 && reset.body.contains("The password is set"))
                    let again = try await product.request(.POST, "/-/reset-password", headers: form, body: "token=\(token)&password=another-password-1")
                    #expect(again.status == 403)

                    let wrong = try await product.request(.POST, "/admin/login", headers: form, body: "email=admin%40acme.example.com&password=wrong-password-xx")
                    #expect(wrong.status == 401)
                    let signIn = try await product.request(.POST, "/admin/login", headers: form, body: "email=admin%40acme.example.com&password=correct-horse-battery")
                    #expect(signIn.status == 303)
                    let cookie = try #require(signIn.headers.first(name: "Set-Cookie")?.split(separator: ";").first.map(String.init))
                    #expect(try await product.request(.GET, "/admin", headers: [("Cookie", cookie)]).body.contains("Signed in as admin@acme.example.com"))

                    let note = try await product.request(.POST, "/api/notes", headers: [("Content-Type", "application/json")], body: #"{"title":"old"}"#)
                    let id = try WharfJSON.lenientDecoder().decode(Note.self, from: Data(note.body.utf8)).id
                    #expect(try await product.request(.DELETE, "/api/notes/\(id)", headers: [("Cookie", "demo_admin=1.forged")]).status == 401)
                    #expect(try await product.request(.DELETE, "/api/notes/\(id)", headers: [("Cookie", cookie)]).status == 204)
                }
            }
        }
    }
}

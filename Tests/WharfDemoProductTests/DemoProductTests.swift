import Foundation
import NIOHTTP1
import Testing
import WharfCore
import WharfDemoProduct
import WharfRuntime
import WharfTesting

@Suite("Demo product")
struct DemoProductTests {
    static func json(_ text: String) -> [(String, String)] { [("Content-Type", "application/json")] }

    @Test("notes through the JSON API and the pages, on both engines", arguments: [EngineKind.sqlite, .postgres])
    func notes(engine: EngineKind) async throws {
        try await TestRuntime.withDatabase(engine) { database in
            try await TestRuntime.with(DemoProduct.self, environment: database.merging(["SERVICE_VERSION": "5.3.0"]) { $1 }) { product in
                let created = try await product.request(.POST, "/api/notes", headers: Self.json(""), body: #"{"title":" Groceries ","body":"milk","pinned":true}"#)
                #expect(created.status == 201)
                let note = try WharfJSON.lenientDecoder().decode(Note.self, from: Data(created.body.utf8))
                #expect(note.title == "Groceries" && note.pinned == true)
                #expect(created.headers.first(name: "Location") == "/api/notes/\(note.id)")
                #expect(try await product.request(.GET, "/api/notes/\(note.id)").body.contains("milk"))

                let form = try await product.request(.POST, "/notes", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: "title=From+the+form&body=hi")
                #expect(form.status == 303)
                let home = try await product.request(.GET, "/")
                #expect(home.status == 200 && home.body.contains("From the form") && home.body.contains("Groceries"))
                #expect(home.body.range(of: "Groceries")!.lowerBound < home.body.range(of: "From the form")!.lowerBound, "pinned first")

                let invalid = try await product.request(.POST, "/api/notes", headers: Self.json(""), body: #"{"title":""}"#)
                #expect(invalid.status == 422 && invalid.body.contains(#""field":"title""#))
                let unknown = try await product.request(.POST, "/api/notes", headers: Self.json(""), body: #"{"title":"x","colour":"red"}"#)
                #expect(unknown.status == 400 && unknown.body.contains("colour"))
                #expect(try await product.request(.GET, "/api/notes/nope").status == 404)
                #expect(try await product.request(.DELETE, "/api/notes/\(note.id)").status == 401)
                let escaped = try await product.request(.POST, "/api/notes", headers: Self.json(""), body: #"{"title":"<script>alert(1)</script>"}"#)
                #expect(escaped.status == 201)
                #expect(!(try await product.request(.GET, "/").body.contains("<script>alert(1)")))
            }
        }
    }

    @Test("the about page shows the version, the licence key's fingerprint only, and the telemetry flag")
    func about() async throws {
        try await TestRuntime.withDatabase(.sqlite) { database in
            let environment = database.merging(["LICENCE_KEY": "ACME-SECRET-LICENCE", "TELEMETRY": "false", "WHARF": "http://127.0.0.1:8420"]) { $1 }
            try await TestRuntime.with(DemoProduct.self, environment: environment) { product in
                let about = try await product.request(.GET, "/about").body
                #expect(about.contains(#"<dd id="version">5.2.0</dd>"#))
                #expect(about.contains(LicenceKey.fingerprint("ACME-SECRET-LICENCE")) && !about.contains("ACME-SECRET-LICENCE"))
                #expect(about.contains(#"<dd id="telemetry">off</dd>"#) && about.contains("yes, by http://127.0.0.1:8420"))
                let version = try await product.request(.GET, "/-/version").body
                #expect(version.contains(#""version":"5.2.0""#) && version.contains(#""service":"demo-product""#))
            }
        }
    }

    @Test("the site configuration file is read at start; a bad one stops start-up naming the file and the setting")
    func siteConfiguration() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("demo-site-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("site.json")
        try ##"{"title":"Acme Notes","banner":"Maintenance on Sunday","accentColor":"#aa3300"}"##.write(to: good, atomically: true, encoding: .utf8)
        try await TestRuntime.withDatabase(.sqlite) { database in
            try await TestRuntime.with(DemoProduct.self, environment: database.merging(["SITE_CONFIG": good.path]) { $1 }) { product in
                let home = try await product.request(.GET, "/").body
                #expect(home.contains("<h1>Acme Notes</h1>") && home.contains("Maintenance on Sunday") && home.contains("#aa3300"))
            }
            for (text, expected) in [
                (#"{"title":"Acme","colour":"red"}"#, "colour is not a setting"), (#"{"accentColor":"blue"}"#, "accentColor"),
                (#"{"title": 7}"#, "title"), ("{not json", "is not valid JSON"),
            ] {
                let bad = directory.appendingPathComponent("bad.json")
                try text.write(to: bad, atomically: true, encoding: .utf8)
                let error = await #expect(throws: WharfError.self) {
                    try await TestRuntime.with(DemoProduct.self, environment: database.merging(["SITE_CONFIG": bad.path]) { $1 }) { _ in }
                }
                #expect(error?.message.hasPrefix(bad.path) == true && error?.message.contains(expected) == true, "\(error?.message ?? "")")
            }
        }
    }
}

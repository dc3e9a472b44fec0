import Foundation
import Hummingbird
import WharfCore
import WharfRuntime

extension DemoProduct {
    struct NoteForm: Decodable {
        var title: String
        var body: String?
        var pinned: Bool?
    }

    func addPageRoutes(to router: Router<RuntimeRequestContext>) {
        router.get("/") { _, _ in
            let list = try await notes.list()
            return page(
                "notes", title: "Notes",
                ["notes": list.map { ["id": $0.id, "title": $0.title, "pinned": $0.pinned == true] }, "canPin": notes.pinning]
            )
        }
        router.post("/notes") { request, context in
            let form = try await URLEncodedFormDecoder().decode(NoteForm.self, from: request, context: context)
            do {
                _ = try await notes.create(NoteDraft(title: form.title, body: form.body ?? "", pinned: notes.pinning ? (form.pinned ?? false) : nil), now: Date())
            } catch let error as WharfError {
                let problem = error.fieldErrors.map { "The \($0.field) \($0.message)." }.joined(separator: " ")
                return page("notes", title: "Notes", ["notes": [], "canPin": notes.pinning, "error": problem], status: .unprocessableContent)
            }
            return Response(status: .seeOther, headers: [.location: "/"])
        }
        router.get("/notes/:id") { _, context in
            guard let note = try await notes.note(id: try context.parameters.require("id")) else { throw HTTPError(.notFound) }
            return page("note", title: note.title, ["note": ["title": note.title, "body": note.body, "createdAt": WharfJSON.timestamp(note.createdAt)]])
        }
        router.get("/about") { _, _ in
            page(
                "about", title: "About",
                [
                    "version": contract.serviceVersion, "environment": contract.environmentID,
                    "licence": licenceFingerprint.map { "licensed (\($0))" } ?? "no licence key", "telemetry": telemetry ? "on" : "off",
                    "managed": contract.wharfURL.map { "yes, by \($0)" } ?? "no",
                ]
            )
        }
    }
}

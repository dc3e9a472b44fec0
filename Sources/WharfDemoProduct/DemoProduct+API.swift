import Foundation
import Hummingbird
import NIOFoundationCompat
import WharfCore
import WharfRuntime

extension DemoProduct {
    func addAPIRoutes(to router: Router<RuntimeRequestContext>) {
        router.get("/api/notes") { _, _ in try Self.json(["items": try await notes.list()]) }
        router.post("/api/notes") { request, _ in
            let bytes = try await request.body.collect(upTo: 64 * 1024)
            let draft: NoteDraft
            do {
                draft = try WharfJSON.decoder().decode(NoteDraft.self, from: Data(buffer: bytes))
            } catch {
                return try Self.json(["error": "the body must be a JSON object with title, body and (from 5.3.0) pinned: \(error)"], status: .badRequest)
            }
            do {
                let note = try await notes.create(draft, now: Date())
                return try Self.json(note, status: .created, headers: [.location: "/api/notes/\(note.id)"])
            } catch let error as WharfError {
                return try Self.json(Problem(status: 422, title: "Unprocessable Content", error: error), status: .unprocessableContent, contentType: "application/problem+json")
            }
        }
        router.get("/api/notes/:id") { _, context in
            guard let note = try await notes.note(id: try context.parameters.require("id")) else { throw HTTPError(.notFound) }
            return try Self.json(note)
        }
        router.delete("/api/notes/:id") { request, context in
            guard signedIn(request) else { return try Self.json(["error": "sign in as the admin to delete notes"], status: .unauthorized) }
            guard try await notes.delete(id: try context.parameters.require("id")) else { throw HTTPError(.notFound) }
            return Response(status: .noContent)
        }
    }

    static func json(
        _ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:], contentType: String = "application/json"
    ) throws -> Response {
        var headers = headers
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: try WharfJSON.encoder().encode(value))))
    }
}

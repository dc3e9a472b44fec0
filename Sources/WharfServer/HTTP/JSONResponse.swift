import Foundation
import Hummingbird
import WharfCore

/// JSON responses in the API's conventions (sorted keys, RFC 3339 dates).
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: try WharfJSON.encoder().encode(value))))
    }

    /// A page of stored documents, spliced into the same JSON a `Page` encodes to without decoding them.
    static func page(_ page: Page<RawJSON>) throws -> Response {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(page.items.reduce(64) { $0 + $1.text.utf8.count + 1 })
        buffer.writeString("{\"items\":[")
        for (index, item) in page.items.enumerated() {
            if index > 0 { buffer.writeString(",") }
            buffer.writeString(item.text)
        }
        buffer.writeString("]")
        if let cursor = page.nextCursor { buffer.writeString(",\"nextCursor\":" + String(decoding: try WharfJSON.encoder().encode(cursor), as: UTF8.self)) }
        buffer.writeString("}")
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: buffer))
    }
}

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
}

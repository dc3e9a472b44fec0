import Foundation
import HTTPTypes
import Hummingbird
import Logging
import WharfCore

/// Turns every error into an RFC 9457 problem detail. Wharf's own errors keep their code and field
/// problems; framework errors get a code of their own; anything unexpected is a 500 whose details go
/// to the log, not to the caller.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = WharfRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as WharfError {
            return Self.response(error, for: request)
        } catch let error as HTTPError {
            return Self.response(Self.translate(error), for: request)
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            return Self.response(WharfError(.internalError, "something went wrong on the server; the error is in its log"), for: request)
        }
    }

    static func translate(_ error: HTTPError) -> WharfError {
        switch error.status {
        case .notFound: WharfError(.notFound, "no such route; the API is described at /openapi.json")
        case .contentTooLarge: WharfError(.payloadTooLarge, "the request body is too large")
        case .methodNotAllowed: WharfError(.methodNotAllowed, "this route does not accept that method")
        case .badRequest: WharfError(.malformedJSON, error.body ?? "the request is malformed")
        default: WharfError(ErrorCode(rawValue: "http_\(error.status.code)"), error.body ?? error.status.reasonPhrase)
        }
    }

    static func status(of code: ErrorCode) -> HTTPResponse.Status {
        switch code {
        case .validationFailed, .idempotencyKeyReused: .unprocessableContent
        case .malformedJSON: .badRequest
        case .payloadTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .notFound: .notFound
        case .conflict, .illegalTransition: .conflict
        case .unauthorized: .unauthorized
        case .forbidden: .forbidden
        case .methodNotAllowed: .methodNotAllowed
        default:
            if code.rawValue.hasPrefix("http_"), let value = Int(code.rawValue.dropFirst(5)) { HTTPResponse.Status(code: value) } else { .internalServerError }
        }
    }

    static func response(_ error: WharfError, for request: Request) -> Response {
        let status = status(of: error.code)
        let problem = Problem(status: status.code, title: status.reasonPhrase, error: error, instance: request.uri.path)
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"wharf\"" }
        let body = (try? WharfJSON.encoder().encode(problem)) ?? Data("{}".utf8)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}

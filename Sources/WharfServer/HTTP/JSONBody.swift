import Foundation
import Hummingbird
import NIOCore
import WharfCore

/// Reads a JSON request body into an input type, turning every way it can be wrong into a problem that
/// names the field: not JSON, wrong type, missing, null, unknown member, too large.
enum JSONBody {
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> (value: T, bytes: [UInt8]) {
        let bytes = try await collect(request, limit: limit)
        return (try parse(type, bytes), bytes)
    }

    /// The same for a body that may be left out: nil when it is empty.
    static func decodeIfPresent<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T? {
        let bytes = try await collect(request, limit: limit)
        return bytes.isEmpty ? nil : try parse(type, bytes)
    }

    private static func collect(_ request: Request, limit: Int) async throws -> [UInt8] {
        if let contentType = request.headers[.contentType], MediaType(from: contentType).map({ $0.isType(.applicationJson) }) != true {
            throw WharfError(.unsupportedMediaType, "send the body as application/json (got '\(contentType)')")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw WharfError(.payloadTooLarge, "the request body is larger than \(limit / 1024) KiB")
        } catch is NIOTooManyBytesError {
            throw WharfError(.payloadTooLarge, "the request body is larger than \(limit / 1024) KiB")
        }
        return Array(buffer.readableBytesView)
    }

    private static func parse<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]) throws -> T {
        do {
            return try WharfJSON.decoder().decode(T.self, from: Data(bytes))
        } catch let error as UnknownFieldError {
            throw WharfError.invalid([
                FieldError(error.field, "unknown_field", "is not a field of this request; known fields: \(error.allowed.joined(separator: ", "))")
            ])
        } catch let error as DecodingError {
            throw translate(error)
        }
    }

    static func translate(_ error: DecodingError) -> WharfError {
        switch error {
        case .typeMismatch(let type, let context):
            if context.codingPath.isEmpty {
                return WharfError(.malformedJSON, "the body must be a JSON object")
            }
            return .invalid([FieldError(path(context.codingPath), "wrong_type", "must be \(describe(type))")])
        case .valueNotFound(let type, let context):
            return .invalid([FieldError(path(context.codingPath), "null", "must be \(describe(type)), not null")])
        case .keyNotFound(let key, let context):
            return .invalid([FieldError(path(context.codingPath + [key]), "required", "is required")])
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return WharfError(.malformedJSON, "the body is not valid JSON: \(context.underlyingError.map { "\($0)" } ?? context.debugDescription)")
            }
            return .invalid([FieldError(path(context.codingPath), "invalid_value", context.debugDescription)])
        @unknown default:
            return WharfError(.malformedJSON, "the body could not be read: \(error)")
        }
    }

    static func path(_ keys: [any CodingKey]) -> String { FieldPath.format(keys) }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "a whole number"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is Date.Type: "an RFC 3339 timestamp string"
        default:
            "\(type)".hasPrefix("Array") ? "an array" : ("\(type)".hasPrefix("Dictionary") ? "an object" : "a valid value")
        }
    }
}

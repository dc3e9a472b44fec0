import ArgumentParser
import Foundation
import WharfCore

/// Turns errors into one clear line on standard error (plus the field problems) and an exit code
/// scripts can rely on.
enum CommandFailure {
    static func exitOnError(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as WharfError {
            try exit(with: error)
        }
    }

    static func exitOnError(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as WharfError {
            try exit(with: error)
        }
    }

    private static func exit(with error: WharfError) throws -> Never {
        var text = "error: \(error.message) [\(error.code.rawValue)]\n"
        for field in error.fieldErrors { text += "  \(field.field): \(field.message)\n" }
        FileHandle.standardError.write(Data(text.utf8))
        throw ExitCode(exitCode(for: error.code))
    }

    static func exitCode(for code: ErrorCode) -> Int32 {
        switch code {
        case .validationFailed, .malformedJSON, .payloadTooLarge, .unsupportedMediaType, .idempotencyKeyReused, .illegalTransition, .configuration: 3
        case .unauthorized, .forbidden: 4
        case .notFound: 5
        case .conflict: 6
        case .unreachable: 7
        default: 1
        }
    }
}

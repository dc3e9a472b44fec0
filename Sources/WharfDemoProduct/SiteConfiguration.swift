import Foundation
import WharfCore

/// The site configuration file (`SITE_CONFIG`, JSON), read once at start: changing it takes effect when
/// the front end restarts, which is what Wharf's `restart_frontend` request is for.
///
/// ```json
/// {"title": "Acme Notes", "banner": "Maintenance on Sunday", "accentColor": "#2b6cb0"}
/// ```
public struct SiteConfiguration: Codable, Sendable, Equatable {
    public var title: String
    public var banner: String?
    public var accentColor: String

    public static let standard = SiteConfiguration(title: "Notes", banner: nil, accentColor: "#2b6cb0")

    public init(title: String, banner: String?, accentColor: String) {
        self.title = title
        self.banner = banner
        self.accentColor = accentColor
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case title, banner, accentColor }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        title = try c.decodeIfPresent(String.self, forKey: .title) ?? Self.standard.title
        banner = try c.decodeIfPresent(String.self, forKey: .banner)
        accentColor = try c.decodeIfPresent(String.self, forKey: .accentColor) ?? Self.standard.accentColor
    }

    /// Reads and checks the file; every problem names the file and the field.
    public static func load(path: String?) throws(WharfError) -> SiteConfiguration {
        guard let path else { return .standard }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WharfError(.configuration, "SITE_CONFIG names \(path), which cannot be read")
        }
        let configuration: SiteConfiguration
        do {
            configuration = try WharfJSON.decoder().decode(SiteConfiguration.self, from: data)
        } catch let error as UnknownFieldError {
            throw WharfError(.configuration, "\(path): \(error.field) is not a setting; known settings: \(error.allowed.joined(separator: ", "))")
        } catch let error as DecodingError {
            throw WharfError(.configuration, "\(path): \(describe(error))")
        } catch {
            throw WharfError(.configuration, "\(path): \(error)")
        }
        var v = Validator()
        if configuration.title.isEmpty || configuration.title.count > 80 { v.add("title", "invalid", "must be 1 to 80 characters") }
        if let banner = configuration.banner, banner.count > 300 { v.add("banner", "too_long", "must be at most 300 characters") }
        if configuration.accentColor.wholeMatch(of: /#[0-9a-fA-F]{6}/) == nil { v.add("accentColor", "invalid", "must be a colour like #2b6cb0") }
        guard v.errors.isEmpty else {
            throw WharfError(.configuration, "\(path): " + v.errors.map { "\($0.field) \($0.message)" }.joined(separator: "; "), fieldErrors: v.errors)
        }
        return configuration
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            "is not valid JSON (\(context.underlyingError.map { "\($0)" } ?? context.debugDescription))"
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context):
            "\(FieldPath.format(context.codingPath)): \(context.debugDescription)"
        case .keyNotFound(let key, _): "\(key.stringValue) is required"
        @unknown default: "\(error)"
        }
    }
}

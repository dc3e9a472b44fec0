import Foundation

/// Where a provider's base URL points, parsed once: the connection's host, port and whether it is TLS,
/// the `Host` header, and the path the API's own path is appended to.
struct UpstreamEndpoint: Sendable, Hashable {
    let host: String
    let port: Int
    let tls: Bool
    let hostHeader: String
    let pathPrefix: String

    /// Nil for anything but an http(s) URL with a host; configuration and the API check that before.
    init?(baseURL: String) {
        guard let components = URLComponents(string: baseURL), let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = components.host, !host.isEmpty
        else { return nil }
        tls = scheme == "https"
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        port = components.port ?? (tls ? 443 : 80)
        hostHeader = components.port.map { "\(host):\($0)" } ?? host
        pathPrefix = components.percentEncodedPath.hasSuffix("/") ? String(components.percentEncodedPath.dropLast()) : components.percentEncodedPath
    }
}

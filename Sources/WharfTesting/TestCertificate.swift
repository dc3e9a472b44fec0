import Foundation
import NIOSSL

/// A self-signed certificate for `localhost`, made with openssl, so a test server can speak TLS as the
/// real providers do, and a client can be told to trust it.
public struct TestCertificate: Sendable {
    public let certificatePath: String
    public let keyPath: String

    public static func make(in directory: URL) throws -> TestCertificate {
        let certificate = TestCertificate(
            certificatePath: directory.appending(path: "localhost.pem").path, keyPath: directory.appending(path: "localhost-key.pem").path
        )
        let openssl = Process()
        openssl.executableURL = URL(filePath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost", "-keyout", certificate.keyPath, "-out", certificate.certificatePath,
        ]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else { throw TestSetupError("openssl could not make a certificate for localhost") }
        return certificate
    }

    /// A server configuration presenting this certificate.
    public func serverConfiguration() throws -> TLSConfiguration {
        TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificatePath).map { .certificate($0) }, privateKey: .privateKey(try NIOSSLPrivateKey(file: keyPath, format: .pem))
        )
    }
}

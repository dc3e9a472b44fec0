import Foundation
import Logging
import RuntimeSample
import Testing
import WharfCore
import WharfRuntime

@Suite("Environment contract")
struct ContractTests {
    static let valid = ["DIAGNOSTICS_SECRET": "0123456789abcdef"]

    @Test("defaults need only the diagnostics secret")
    func defaults() throws {
        let contract = try RuntimeContract.parse(Self.valid, serviceVersion: "1.0.0")
        #expect(contract.port == 9992 && contract.host == "127.0.0.1" && contract.environmentID == "local")
        #expect(contract.database == nil && contract.wharfURL == nil && contract.otlpEndpoint == nil)
        #expect(contract.logLevel == .info && contract.logFormat == .json && contract.serviceVersion == "1.0.0")
    }

    @Test("reads every variable")
    func reads() throws {
        let contract = try RuntimeContract.parse(
            Self.valid.merging([
                "PORT": "8080", "ENVIRONMENT_ID": "acme-prod", "WHARF": "http://127.0.0.1:8420", "DATABASE_URL": "postgres://u@db/x",
                "LOG_LEVEL": "debug", "LOG_FORMAT": "text", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318", "SERVICE_VERSION": "2.0.0",
            ]) { $1 }, serviceVersion: "1.0.0"
        )
        #expect(contract.port == 8080 && contract.environmentID == "acme-prod" && contract.wharfURL == "http://127.0.0.1:8420")
        #expect(contract.database == .postgres(url: "postgres://u@db/x") && contract.logLevel == .debug && contract.logFormat == .text)
        #expect(contract.otlpEndpoint?.absoluteString == "http://127.0.0.1:4318" && contract.serviceVersion == "2.0.0")
    }

    @Test(
        "a bad value stops start-up with one line naming the variable",
        arguments: [
            ([:], "DIAGNOSTICS_SECRET"), (["DIAGNOSTICS_SECRET": "short"], "DIAGNOSTICS_SECRET"), (["PORT": "http"], "PORT"),
            (["PORT": "70000"], "PORT"), (["ENVIRONMENT_ID": "Acme Prod"], "ENVIRONMENT_ID"), (["WHARF": "not a url"], "WHARF"),
            (["DATABASE_URL": "mysql://x"], "DATABASE_URL"), (["DATABASE_URL": "postgres://x/y", "SQLITE_PATH": "/tmp/x"], "SQLITE_PATH"),
            (["LOG_LEVEL": "loud"], "LOG_LEVEL"), (["LOG_FORMAT": "xml"], "LOG_FORMAT"),
            (["OTEL_EXPORTER_OTLP_ENDPOINT": "grpc:4317"], "OTEL_EXPORTER_OTLP_ENDPOINT"), (["SERVICE_VERSION": "latest"], "SERVICE_VERSION"),
        ] as [([String: String], String)]
    )
    func refuses(environment: [String: String], variable: String) {
        let merged = (environment.keys.contains("DIAGNOSTICS_SECRET") || environment.isEmpty ? [:] : Self.valid).merging(environment) { $1 }
        let error = #expect(throws: WharfError.self) { try RuntimeContract.parse(merged, serviceVersion: "1.0.0") }
        #expect(error?.code == .configuration)
        #expect(error?.message.contains(variable) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("\n") == false)
    }

    @Test("--help lists the runtime's variables and the service's own")
    func help() {
        let text = Runtime.help(SampleService.self)
        for name in RuntimeContract.variables.map(\.name) + ["GREETING", "SAMPLE_UNHEALTHY"] { #expect(text.contains(name), "\(name)") }
        #expect(text.contains("sample 1.2.3") && text.contains("(default: 9992)") && text.contains("(required)"))
    }
}

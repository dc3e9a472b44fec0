import ArgumentParser
import Foundation
import WharfClient
import WharfCore

/// Where the server is and who is asking; flags override `WHARF_URL` and `WHARF_TOKEN`.
struct ClientOptions: ParsableArguments {
    @Option(help: "Wharf server URL (default: $WHARF_URL or http://127.0.0.1:8420).") var url: String?
    @Option(help: "API token (default: $WHARF_TOKEN).") var token: String?
    @Option(help: "Output format: table or json.") var output: OutputFormat = .table

    var client: WharfClient {
        let environment = ProcessInfo.processInfo.environment
        return WharfClient(baseURL: url ?? environment["WHARF_URL"] ?? "http://127.0.0.1:8420", token: token ?? environment["WHARF_TOKEN"])
    }

    /// Prints `value` as JSON, or as the table `rows` make.
    func emit<T: Encodable>(_ value: T, table: () -> Table) throws {
        switch output {
        case .json: print(String(decoding: try WharfJSON.encoder().encode(value), as: UTF8.self))
        case .table: print(table().rendered, terminator: "")
        }
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable { case table, json }

/// A plain text table with aligned columns.
struct Table {
    var header: [String]
    var rows: [[String]]

    var rendered: String {
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { row in
            row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
        }.joined()
    }

    /// Key–value lines for one record.
    static func record(_ pairs: [(String, String)]) -> Table {
        Table(header: ["FIELD", "VALUE"], rows: pairs.map { [$0.0, $0.1] })
    }
}

import Foundation
import WharfCore

/// What one engine measured.
struct EngineReport: Codable, Sendable {
    var engine: String
    var instances: Int
    var fillSeconds: Double
    var createConcurrent: LatencySummary
    var createOneAtATime: LatencySummary
    var listPage: LatencySummary
    var cliListSeconds: [Double]
    var idleMiBAtStart: Double
    var idleMiBAfterLoad: Double
}

/// Renders the engines side by side against the targets, each figure also as a ratio of its target.
enum BenchReport {
    struct Row: Sendable {
        var name: String
        var target: Double
        var unit: String
        var value: @Sendable (EngineReport) -> Double
    }

    static let rows: [Row] = [
        Row(name: "create p99, one at a time", target: 5, unit: "ms") { $0.createOneAtATime.p99 },
        Row(name: "create p50, one at a time", target: 5, unit: "ms") { $0.createOneAtATime.p50 },
        Row(name: "create p99, concurrent clients", target: 5, unit: "ms") { $0.createConcurrent.p99 },
        Row(name: "list page of 100, filtered, p99", target: 10, unit: "ms") { $0.listPage.p99 },
        Row(name: "list page of 100, filtered, p50", target: 10, unit: "ms") { $0.listPage.p50 },
        Row(name: "wharf instance list --output json, worst of 5", target: 1, unit: "s") { $0.cliListSeconds.max() ?? .nan },
        Row(name: "idle RSS at start", target: 60, unit: "MiB") { $0.idleMiBAtStart },
        Row(name: "idle RSS 15 s after the load", target: 60, unit: "MiB") { $0.idleMiBAfterLoad },
    ]

    static func table(_ reports: [EngineReport]) -> String {
        var lines = ["Registry benchmark, \(reports.first?.instances ?? 0) instances (value / target in brackets)"]
        let header = ["", "target"] + reports.map(\.engine)
        var cells = [header]
        for row in rows {
            cells.append(
                [row.name, "< \(format(row.target)) \(row.unit)"]
                    + reports.map { "\(format(row.value($0))) \(row.unit) (\(format(row.value($0) / row.target, digits: 2)))" }
            )
        }
        cells.append(["fill time (all creates)", ""] + reports.map { "\(format($0.fillSeconds)) s" })
        let widths = header.indices.map { column in cells.map { $0[column].count }.max() ?? 0 }
        lines += cells.map { row in row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ") }
        return lines.joined(separator: "\n")
    }

    static func json(_ reports: [EngineReport]) throws -> String {
        String(decoding: try WharfJSON.encoder().encode(reports), as: UTF8.self)
    }

    static func format(_ value: Double, digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }
}

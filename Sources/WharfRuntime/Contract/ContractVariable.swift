import Foundation

/// One environment variable of a service's contract: its name, what it is for, and its default. The
/// runtime's own variables and a service's declared settings are both described this way, so `--help`
/// lists them all in one table.
public struct ContractVariable: Sendable, Equatable {
    public var name: String
    public var help: String
    /// Printed in `--help`; nil when the variable is required or has no default.
    public var defaultValue: String?
    public var required: Bool

    public init(_ name: String, help: String, default defaultValue: String? = nil, required: Bool = false) {
        self.name = name
        self.help = help
        self.defaultValue = defaultValue
        self.required = required
    }

    /// The `--help` text: one line per variable.
    public static func helpText(_ variables: [ContractVariable]) -> String {
        let width = variables.map(\.name.count).max() ?? 0
        return variables.map { variable in
            let suffix = variable.required ? " (required)" : variable.defaultValue.map { " (default: \($0))" } ?? ""
            return "  " + variable.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + variable.help + suffix
        }.joined(separator: "\n")
    }
}

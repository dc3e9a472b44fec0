/// Where a value sits in a spec file; lines and columns count from 1.
public struct SpecLocation: Sendable, Hashable, Comparable {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public static func < (a: SpecLocation, b: SpecLocation) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }
}

/// One thing wrong with a spec: where, which field, what is wrong and what would be valid.
public struct SpecProblem: Sendable, Hashable, CustomStringConvertible {
    public var location: SpecLocation
    /// The field path, like `environments[1].instances.memory`.
    public var path: String
    public var message: String

    public init(location: SpecLocation, path: String, message: String) {
        self.location = location
        self.path = path
        self.message = message
    }

    /// `file:line:column: path: message`, the form editors and CI logs link to.
    public var description: String {
        "\(location.file):\(location.line):\(location.column): \(path.isEmpty ? "(spec)" : path): \(message)"
    }
}

/// Every problem found in a spec, in file order. Nothing is generated from a spec that has any.
public struct SpecFailure: Error, Sendable, CustomStringConvertible {
    public var problems: [SpecProblem]

    public init(_ problems: [SpecProblem]) {
        self.problems = problems.sorted { ($0.location, $0.path) < ($1.location, $1.path) }
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

import Yams

/// One pass over a spec file: the problems found so far and where each field was, so the rules that run
/// after reading can point at the right line. In `describing` mode there is no file: the readers only
/// record the fields they ask for, which is how the JSON Schema comes from the same definitions.
final class SpecReading {
    let file: String
    let describing: Bool
    private(set) var problems: [SpecProblem] = []
    private var locations: [String: SpecLocation] = [:]

    init(file: String, describing: Bool = false) {
        self.file = file
        self.describing = describing
    }

    func location(of node: Node?) -> SpecLocation {
        SpecLocation(file: file, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1)
    }

    func record(_ path: String, _ node: Node) {
        locations[path] = location(of: node)
    }

    /// Where `path` is, or the nearest enclosing field that is there.
    func location(for path: String) -> SpecLocation {
        var path = path
        while !path.isEmpty {
            if let found = locations[path] { return found }
            if let cut = path.lastIndex(where: { $0 == "." || $0 == "[" }) { path = String(path[..<cut]) } else { break }
        }
        return locations[""] ?? SpecLocation(file: file, line: 1, column: 1)
    }

    func problem(_ path: String, at node: Node?, _ message: String) {
        problems.append(SpecProblem(location: node == nil ? location(for: path) : location(of: node), path: path, message: message))
    }

    func problem(_ path: String, _ message: String) {
        problems.append(SpecProblem(location: location(for: path), path: path, message: message))
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}

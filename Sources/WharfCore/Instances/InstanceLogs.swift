/// Lines of an instance's product log, and where to continue reading.
public struct InstanceLogs: Codable, Sendable, Equatable {
    public var lines: [String]
    /// Pass back as `offset` to read what is logged next.
    public var offset: Int

    public init(lines: [String], offset: Int) {
        self.lines = lines
        self.offset = offset
    }
}

/// A count allowed per minute, per day and per calendar month; nil is no limit in that window (or, in an
/// override, "as the plan says").
public struct WindowLimits: Codable, Sendable, Equatable {
    public var minute: Int?
    public var day: Int?
    public var month: Int?

    public init(minute: Int? = nil, day: Int? = nil, month: Int? = nil) {
        self.minute = minute
        self.day = day
        self.month = month
    }

    public subscript(window: LimitWindow) -> Int? {
        get {
            switch window {
            case .minute: minute
            case .day: day
            case .month: month
            }
        }
        set {
            switch window {
            case .minute: minute = newValue
            case .day: day = newValue
            case .month: month = newValue
            }
        }
    }

    /// These limits with every member `override` sets replaced.
    public func overridden(by override: WindowLimits?) -> WindowLimits {
        guard let override else { return self }
        return WindowLimits(minute: override.minute ?? minute, day: override.day ?? day, month: override.month ?? month)
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case minute, day, month }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        minute = try c.decodeIfPresent(Int.self, forKey: .minute)
        day = try c.decodeIfPresent(Int.self, forKey: .day)
        month = try c.decodeIfPresent(Int.self, forKey: .month)
    }
}

/// The weekly window (UTC) in which upgrades and infrastructure changes may disturb the instance.
public struct MaintenanceWindow: Codable, Sendable, Equatable {
    public var day: Weekday
    public var startHour: Int
    public var durationHours: Int

    public static let `default` = MaintenanceWindow(day: .sunday, startHour: 2, durationHours: 4)

    public init(day: Weekday, startHour: Int, durationHours: Int) {
        self.day = day
        self.startHour = startHour
        self.durationHours = durationHours
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case day, startHour, durationHours }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        day = try container.decode(Weekday.self, forKey: .day)
        startHour = try container.decode(Int.self, forKey: .startHour)
        durationHours = try container.decode(Int.self, forKey: .durationHours)
    }

    func validate(_ path: String, into validator: inout Validator) {
        if !(0...23).contains(startHour) { validator.add("\(path).startHour", "out_of_range", "must be 0 to 23 (UTC), got \(startHour)") }
        if !(1...12).contains(durationHours) { validator.add("\(path).durationHours", "out_of_range", "must be 1 to 12 hours, got \(durationHours)") }
    }
}

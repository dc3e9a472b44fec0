/// How often an instance is snapshotted and how long snapshots are kept. At most 24 hours apart, because
/// the recovery point objective is 24 hours (SPEC targets).
public struct BackupPolicy: Codable, Sendable, Equatable {
    public var intervalHours: Int
    public var retentionDays: Int

    public init(intervalHours: Int, retentionDays: Int) {
        self.intervalHours = intervalHours
        self.retentionDays = retentionDays
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case intervalHours, retentionDays }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        intervalHours = try container.decode(Int.self, forKey: .intervalHours)
        retentionDays = try container.decode(Int.self, forKey: .retentionDays)
    }

    func validate(_ path: String, into validator: inout Validator) {
        if !(1...24).contains(intervalHours) {
            validator.add("\(path).intervalHours", "out_of_range", "must be 1 to 24 hours (RPO is 24 h), got \(intervalHours)")
        }
        if !(1...3650).contains(retentionDays) {
            validator.add("\(path).retentionDays", "out_of_range", "must be 1 to 3650 days, got \(retentionDays)")
        }
    }
}

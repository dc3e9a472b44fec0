/// Where an instance runs for the customer.
public enum DeploymentEnvironment: String, WireEnum { case prod, dev }

/// Why an instance exists; trials expire, internal instances take every release first.
public enum InstanceType: String, WireEnum { case production, trial, `internal` }

/// The commercial plan; it sets limits such as the number of executors.
public enum Plan: String, WireEnum {
    case business, enterprise

    /// The most executors the plan allows (SPEC §1).
    public var maxExecutors: Int { self == .business ? 2 : 4 }

    /// The backup policy an instance gets when none is given.
    public var defaultBackupPolicy: BackupPolicy {
        self == .business ? BackupPolicy(intervalHours: 24, retentionDays: 14) : BackupPolicy(intervalHours: 12, retentionDays: 30)
    }
}

/// How an instance follows releases (SPEC §4).
public enum ReleaseChannel: String, WireEnum { case stable, fast, pinned }

/// Verification of a custom domain's DNS ownership.
public enum DomainVerification: String, WireEnum { case pending, verified, failed }

public enum Weekday: String, WireEnum { case monday, tuesday, wednesday, thursday, friday, saturday, sunday }

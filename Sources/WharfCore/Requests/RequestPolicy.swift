/// How a kind of request is approved and measured: the rows of the SPEC §1 table.
public struct RequestPolicy: Sendable, Equatable {
    /// Self-service requests are approved when submitted with valid parameters; manual ones wait for an
    /// operator; automatic ones are raised by Wharf itself (upgrades) and approved on submission.
    public enum Mode: String, WireEnum {
        case selfService = "self_service", manual, automatic
    }

    /// Where the resolution clock starts.
    public enum ClockStart: String, WireEnum {
        /// When the request was submitted.
        case submission
        /// The agreed date given on the request, or the submission when there is none.
        case agreement
        /// The release the upgrade brings (its `releasedAt` parameter).
        case release
    }

    /// Open requests in the same group on the same instance contradict each other (suspend and tear down,
    /// enable and disable telemetry), so only one may be open at a time.
    public enum ConflictGroup: String, Sendable {
        case lifecycle, telemetry, allowlist, aiGateway, egress, licence, upgrade
    }

    public var mode: Mode
    /// Time to the first answer (approval or rejection); nil when the table gives none.
    public var response: SLADuration?
    public var resolution: SLADuration?
    public var resolutionFrom: ClockStart
    public var conflictGroup: ConflictGroup?

    public init(mode: Mode, response: SLADuration? = nil, resolution: SLADuration? = nil, resolutionFrom: ClockStart = .submission, conflictGroup: ConflictGroup? = nil) {
        self.mode = mode
        self.response = response
        self.resolution = resolution
        self.resolutionFrom = resolutionFrom
        self.conflictGroup = conflictGroup
    }
}

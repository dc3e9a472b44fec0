import Foundation
import WharfCore

/// A part of one window's limit that a replica holds: taken from the shared counter ahead of the requests
/// that will use it, so they are admitted in memory. A measure the window does not limit is granted 0 and
/// goes below it as requests use it; giving the block back settles that too.
public struct GatewaySpare: Sendable, Equatable {
    public var window: LimitWindow
    public var startMilliseconds: Int64
    public var generation: Int64
    public var requests: Int
    public var tokens: Int

    public init(window: LimitWindow, startMilliseconds: Int64, generation: Int64, requests: Int, tokens: Int) {
        self.window = window
        self.startMilliseconds = startMilliseconds
        self.generation = generation
        self.requests = requests
        self.tokens = tokens
    }
}

/// What a replica asks of the shared counters when what it holds cannot admit a request: a new block for
/// each window in `windows` (giving back what it still holds of it), and `slots` more concurrency slots.
public struct GatewayBlockRequest: Sendable {
    public struct Window: Sendable {
        public var kind: LimitWindow
        /// The start of the window the block is for: the one `now` is in.
        public var startMilliseconds: Int64
        /// The most requests the replica would take; the block is smaller near the limit.
        public var wantedRequests: Int
        /// The block the replica holds of this window, or of an earlier one, given back first.
        public var returning: GatewaySpare?

        public init(kind: LimitWindow, startMilliseconds: Int64, wantedRequests: Int, returning: GatewaySpare?) {
            self.kind = kind
            self.startMilliseconds = startMilliseconds
            self.wantedRequests = wantedRequests
            self.returning = returning
        }
    }

    public var slug: String
    public var feature: GatewayFeature
    public var limits: FeatureLimits
    /// The tokens of the request that asks: every block has room for it, or the request is refused.
    public var estimatedTokens: Int
    public var windows: [Window]
    public var slots: Int?
    public var replica: String
    public var generation: Int64
    public var leaseUntil: Date
    public var now: Date

    public init(
        slug: String, feature: GatewayFeature, limits: FeatureLimits, estimatedTokens: Int, windows: [Window], slots: Int?, replica: String, generation: Int64,
        leaseUntil: Date, now: Date
    ) {
        self.slug = slug
        self.feature = feature
        self.limits = limits
        self.estimatedTokens = estimatedTokens
        self.windows = windows
        self.slots = slots
        self.replica = replica
        self.generation = generation
        self.leaseUntil = leaseUntil
        self.now = now
    }
}

/// The blocks a refill got: each window's block, with what the instance had used besides it (so the replica
/// can tell where the instance stands as it hands the block out), and the slots leased.
public struct GatewayBlockGrant: Sendable, Equatable {
    public struct Window: Sendable, Equatable {
        public var spare: GatewaySpare
        public var usedRequests: Int
        public var usedTokens: Int

        public init(spare: GatewaySpare, usedRequests: Int, usedTokens: Int) {
            self.spare = spare
            self.usedRequests = usedRequests
            self.usedTokens = usedTokens
        }
    }

    public var windows: [Window]
    public var slots: [String]
    /// Slots leased by other replicas when these were taken.
    public var slotsElsewhere: Int

    public init(windows: [Window], slots: [String], slotsElsewhere: Int) {
        self.windows = windows
        self.slots = slots
        self.slotsElsewhere = slotsElsewhere
    }
}

/// One write of a replica's ledger: the requests it admitted from its blocks, the blocks and idle slots it
/// gives back, and the calls that ended.
public struct GatewayLedgerBatch: Sendable {
    public var replica: String
    public var admitted: [GatewayReservation]
    public var returned: [Returned]
    public var settlements: [GatewaySettlement]

    /// What a replica gives back of one instance and feature.
    public struct Returned: Sendable {
        public var slug: String
        public var feature: GatewayFeature
        public var spares: [GatewaySpare]
        public var slots: [String]

        public init(slug: String, feature: GatewayFeature, spares: [GatewaySpare], slots: [String]) {
            self.slug = slug
            self.feature = feature
            self.spares = spares
            self.slots = slots
        }
    }

    public init(replica: String, admitted: [GatewayReservation] = [], returned: [Returned] = [], settlements: [GatewaySettlement] = []) {
        self.replica = replica
        self.admitted = admitted
        self.returned = returned
        self.settlements = settlements
    }

    public var isEmpty: Bool { admitted.isEmpty && returned.isEmpty && settlements.isEmpty }
}

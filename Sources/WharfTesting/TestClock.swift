import Foundation
import Synchronization

/// A wall clock tests set and advance by hand, so time-dependent rules are tested without waiting.
public final class TestClock: Sendable {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) { current = Mutex(start) }

    public var now: @Sendable () -> Date { { self.current.withLock { $0 } } }

    public func advance(by seconds: TimeInterval) { current.withLock { $0 += seconds } }
}

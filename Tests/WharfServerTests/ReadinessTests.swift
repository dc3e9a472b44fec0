import Testing

@testable import WharfServer

@Suite("Readiness gate")
struct ReadinessTests {
    @Test("waiters go on once it opens, later waiters do not wait, a cancelled waiter returns")
    func gate() async {
        let gate = Readiness()
        async let first: Void = gate.wait()
        async let second: Void = gate.wait()
        gate.open()
        _ = await (first, second)
        await gate.wait()

        let closed = Readiness()
        let waiter = Task { await closed.wait() }
        waiter.cancel()
        await waiter.value
    }
}

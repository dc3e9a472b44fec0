import Synchronization
import Testing

@testable import WharfGateway

@Suite("Admission tasks in flight")
struct TasksInFlightTests {
    @Test("the server's wait for tasks returns at once when none runs, and otherwise only after the last ends")
    func drains() async {
        let tasks = TasksInFlight()
        await tasks.drained()

        tasks.begin()
        tasks.begin()
        let drained = Flag()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await tasks.drained()
                drained.set()
            }
            tasks.end()
            #expect(!drained.isSet)
            tasks.end()
            await group.waitForAll()
        }
        #expect(drained.isSet)
    }

    final class Flag: Sendable {
        private let value = Atomic(false)
        var isSet: Bool { value.load(ordering: .sequentiallyConsistent) }
        func set() { value.store(true, ordering: .sequentiallyConsistent) }
    }
}

import Foundation
import Testing
import WharfControlPlane
import WharfCore
import WharfRuntime
import WharfStore
import WharfTesting

@testable import WharfProviders

/// The reconciler with the gcp provider, on both engines. The instance's project is as a finished apply
/// left it (the provider's own record of the run); there is no cloud here to apply against.
@Suite("Reconciler with the gcp provider")
struct GCPReconcileTests {
    @Test("the egress addresses Terraform reserved are recorded on the instance once, as the system", arguments: TestStore.engines)
    func recordsEgressAddresses(engine: EngineKind) async throws {
        try await TestStore.with(engine, now: Date.init) { store in
            let directory = FileManager.default.temporaryDirectory.appending(path: "wharf-gcp-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            _ = try await store.createCustomer(Fixtures.customer(), actor: Fixtures.operatorActor)
            _ = try await store.createInstance(Fixtures.instance("acme-prod"), actor: Fixtures.operatorActor)
            _ = try await store.applyEvent(slug: "acme-prod", InstanceEventRequest(event: .startProvisioning), actor: .system)
            let instance = try await store.applyEvent(slug: "acme-prod", InstanceEventRequest(event: .provisioned), actor: .system)

            let applied = GCPInstanceState(
                running: true, launch: DesiredInstance(instance: instance).launch, host: instance.defaultDomain,
                egressAddresses: ["203.0.113.7", "203.0.113.8"], staticEgress: true, privateConnectivity: false, appliedAt: Date()
            )
            try FileManager.default.createDirectory(at: directory.appending(path: "acme-prod"), withIntermediateDirectories: true)
            try WharfJSON.encoder().encode(applied).write(to: directory.appending(path: "acme-prod/wharf-state.json"))
            let provider = try GCPProvider(TestGCP.configuration(directory: directory.path), probe: { host in host == "acme-prod.wharf.test" })
            let reconciler = ReconcilerTests.reconciler(store, provider)

            _ = try await reconciler.reconcile("acme-prod")
            #expect(try await store.instance(slug: "acme-prod").egressStaticIPs == ["203.0.113.7", "203.0.113.8"])
            _ = try await reconciler.reconcile("acme-prod")
            let history = try await ReconcilerTests.history(store, "acme-prod")
            #expect(history.filter { $0 == "instance.egress_recorded" }.count == 1)
            // Healthy and running as launched: nothing to apply.
            #expect(!history.contains("instance.process_started"))
        }
    }
}

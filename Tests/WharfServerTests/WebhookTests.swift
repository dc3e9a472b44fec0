import AsyncHTTPClient
import Foundation
import Logging
import Testing
import WharfCore
import WharfRuntime
import WharfStore
import WharfTesting

@testable import WharfServer

@Suite("Webhooks")
struct WebhookTests {
    static func dispatcher(_ store: Store) -> WebhookDispatcher {
        WebhookDispatcher(store: store, http: .shared, pollInterval: .seconds(1), migrated: Readiness(), logger: Logger(label: "test"))
    }

    static func activeInstance(_ store: Store) async throws {
        _ = try await store.createCustomer(Fixtures.customer(), actor: Fixtures.operatorActor)
        _ = try await store.createInstance(Fixtures.instance(), actor: Fixtures.operatorActor)
        for event in [LifecycleEvent.startProvisioning, .provisioned] { _ = try await store.applyEvent(slug: "acme-prod", InstanceEventRequest(event: event), actor: .system) }
    }

    @Test("request events reach a webhook as Slack-compatible JSON; a failed delivery is retried after its backoff", arguments: TestStore.engines)
    func delivers(engine: EngineKind) async throws {
        let clock = TestClock()
        try await TestStore.with(engine, clock: clock) { store in
            try await HTTPReceiver.with(failFirst: 1) { receiver, url in
                try await Self.activeInstance(store)
                let hook = try await store.createWebhook(WebhookDraft(name: "ops channel", url: url, events: [.submitted, .done]), actor: Fixtures.operatorActor)
                let shown = String(decoding: try WharfJSON.encoder().encode(hook), as: UTF8.self)
                #expect(hook.target == "http://127.0.0.1" && !shown.contains("/hook"))
                let request = try await store.submitRequest(RequestSubmission(kind: .enableAIGateway, instance: "acme-prod"), actor: Fixtures.requesterActor).value

                let dispatcher = Self.dispatcher(store)
                #expect(try await dispatcher.deliverDue() == 2)
                let first = try await store.webhookDeliveries(webhookID: hook.id)
                #expect(first.map(\.state).sorted { $0.rawValue < $1.rawValue } == [.delivered, .pending])
                let retry = try #require(first.first { $0.state == .pending })
                #expect(retry.lastStatus == 500 && retry.attempts == 1 && retry.nextAttemptAt == clock.now().addingTimeInterval(10))
                #expect(try await dispatcher.deliverDue() == 0)

                clock.advance(by: 10)
                #expect(try await dispatcher.deliverDue() == 1)
                #expect(try await store.webhookDeliveries(webhookID: hook.id).allSatisfy { $0.state == .delivered })
                let payloads = try receiver.received.map { try WharfJSON.lenientDecoder().decode(WebhookPayload.self, from: $0) }
                #expect(payloads.count == 3)
                #expect(Set(payloads.map(\.wharf.event)) == [.submitted, .done])
                #expect(payloads.allSatisfy { $0.wharf.request.id == request.id && $0.text.contains("acme-prod") })
                let raw = try #require(receiver.received.first.flatMap { try JSONSerialization.jsonObject(with: $0) as? [String: Any] })
                #expect(raw["text"] is String)
            }
        }
    }

    @Test("a failing receiver is retried with growing waits and given up after the last attempt", arguments: [EngineKind.sqlite])
    func givesUp(engine: EngineKind) async throws {
        let clock = TestClock()
        try await TestStore.with(engine, clock: clock) { store in
            try await HTTPReceiver.with(failFirst: 1000) { receiver, url in
                try await Self.activeInstance(store)
                let hook = try await store.createWebhook(WebhookDraft(name: "broken", url: url, events: [.submitted]), actor: Fixtures.operatorActor)
                _ = try await store.submitRequest(RequestSubmission(kind: .disableTelemetry, instance: "acme-prod"), actor: Fixtures.requesterActor)
                let dispatcher = Self.dispatcher(store)
                var waits: [TimeInterval] = []
                for _ in 0..<WebhookDelivery.maxAttempts {
                    #expect(try await dispatcher.deliverDue() == 1)
                    let delivery = try #require(try await store.webhookDeliveries(webhookID: hook.id).first)
                    guard let next = delivery.nextAttemptAt else { break }
                    waits.append(next.timeIntervalSince(clock.now()))
                    clock.advance(by: next.timeIntervalSince(clock.now()))
                }
                #expect(waits == [10, 20, 40, 80, 160, 320, 640, 1280, 2560])
                let last = try #require(try await store.webhookDeliveries(webhookID: hook.id).first)
                #expect(last.state == .failed && last.attempts == WebhookDelivery.maxAttempts && last.lastStatus == 500)
                #expect(receiver.received.count == WebhookDelivery.maxAttempts)
                #expect(try await dispatcher.deliverDue() == 0)
            }
        }
    }

    @Test("bad webhook input names the field")
    func badInput() throws {
        let error = #expect(throws: WharfError.self) { try WebhookDraft(name: "", url: "ftp://x", events: []).validated() }
        #expect(error?.fieldErrors.map(\.field) == ["name", "url", "events"])
    }
}

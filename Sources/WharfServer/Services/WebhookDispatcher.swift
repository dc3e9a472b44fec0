import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import WharfCore
import WharfStore

/// Sends queued request events to webhooks, off the request path: claims due deliveries, posts each
/// payload, and records the outcome, which retries with backoff. Several replicas may run it at once;
/// the store's lease keeps them from sending the same delivery together.
struct WebhookDispatcher: Service {
    let store: Store
    let http: HTTPClient
    let pollInterval: Duration
    /// Opens once the schema is migrated.
    let migrated: Readiness
    let logger: Logger

    func run() async throws {
        await migrated.wait()
        // Shutdown cancels the loop; a delivery cut short is sent again when its lease ends.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let sent = (try? await deliverDue()) ?? 0
                if sent == 0 { try await Task.sleep(for: pollInterval) }
            }
        }
    }

    /// Sends every delivery that is due now, concurrently; returns how many were attempted.
    @discardableResult
    func deliverDue() async throws -> Int {
        let due = try await store.claimDueDeliveries()
        await withTaskGroup(of: Void.self) { group in
            for item in due { group.addTask { await deliver(item) } }
        }
        return due.count
    }

    private func deliver(_ item: DueDelivery) async {
        var request = HTTPClientRequest(url: item.url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "wharf-webhooks")
        request.headers.add(name: "X-Wharf-Delivery", value: item.delivery.id)
        var status: Int?
        var failure: String?
        do {
            request.body = .bytes(ByteBuffer(bytes: try WharfJSON.encoder().encode(item.payload)))
            let response = try await http.execute(request, timeout: .seconds(10))
            status = Int(response.status.code)
            _ = try? await response.body.collect(upTo: 64 * 1024)
            if !(200..<300).contains(Int(response.status.code)) { failure = "the receiver answered \(response.status.code)" }
        } catch {
            failure = "\(error)"
        }
        do {
            let recorded = try await store.recordDeliveryAttempt(id: item.delivery.id, status: status, error: failure)
            if recorded.state == .failed {
                logger.warning("webhook delivery gave up", metadata: ["delivery": "\(recorded.id)", "attempts": "\(recorded.attempts)", "error": "\(failure ?? "")"])
            }
        } catch {
            logger.warning("could not record a webhook delivery; it will be retried when its lease ends", metadata: ["delivery": "\(item.delivery.id)", "error": "\(error)"])
        }
    }
}

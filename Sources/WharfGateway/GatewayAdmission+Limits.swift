import Foundation
import Logging
import NIOCore
import NIOHTTP1
import WharfCore
import WharfStore

extension GatewayAdmission {
    /// `GET /v1/limits`: the calling instance's limits and what is left of each, read fresh from the
    /// database. Errors come in OpenAI's format, the one most clients parse.
    func limits(_ headers: HTTPHeaders, requestID: String) async -> GatewayReply {
        do {
            let actor = try Self.permitted(try await actor(presentedIn: headers))
            let standings: [GatewayFeature: [QuotaStanding]]
            do {
                standings = try await ledger.store.gatewayStandings(slug: actor.slug, limits: actor.limits, now: ledger.clock())
            } catch {
                logger.error("limits not read", metadata: ["request": "\(requestID)", "error": "\(error)"])
                throw GatewayFailure(.serviceUnavailable, "api_error", "the gateway cannot read limits right now; try again shortly", retryAfter: 1)
            }
            var features: [GatewayFeature: GatewayLimitsAnswer.Feature] = [:]
            for feature in GatewayFeature.allCases {
                features[feature] = .init(models: actor.limits[feature].models, limits: standings[feature] ?? [])
            }
            let answer = GatewayLimitsAnswer(instance: actor.slug, plan: actor.plan, features: features)
            let headers: HTTPHeaders = ["content-type": "application/json", "cache-control": "no-store", "x-request-id": requestID]
            return GatewayReply(status: .ok, headers: headers, body: ByteBuffer(bytes: try WharfJSON.encoder().encode(answer)))
        } catch let failure as GatewayFailure {
            return failure.reply(api: .openAI, requestID: requestID)
        } catch {
            return GatewayFailure(.internalServerError, "api_error", "the limits could not be encoded").reply(api: .openAI, requestID: requestID)
        }
    }
}

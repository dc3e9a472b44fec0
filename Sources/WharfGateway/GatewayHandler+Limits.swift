import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import WharfCore
import WharfStore

extension GatewayHandler {
    /// `GET /v1/limits`: the calling instance's limits and what is left of each, read fresh from the
    /// database. Errors come in OpenAI's format, the one most clients parse.
    func limits(_ request: Request) async -> Response {
        let requestID = Self.requestID(of: request)
        do {
            let actor = try await authenticate(request)
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
            var headers: HTTPFields = [.contentType: "application/json", .cacheControl: "no-store"]
            headers[HTTPField.Name("x-request-id")!] = requestID
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: try WharfJSON.encoder().encode(answer))))
        } catch let failure as GatewayFailure {
            return failure.response(api: .openAI, requestID: requestID)
        } catch {
            return GatewayFailure(.internalServerError, "api_error", "the limits could not be encoded").response(api: .openAI, requestID: requestID)
        }
    }
}

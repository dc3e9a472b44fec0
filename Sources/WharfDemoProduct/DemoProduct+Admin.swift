import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import WharfCore
import WharfRuntime

extension DemoProduct {
    static let sessionCookie = "demo_admin"

    struct SignInForm: Decodable {
        var email: String
        var password: String
    }

    struct ResetForm: Decodable {
        var token: String
        var password: String
    }

    /// What Wharf answers when a reset token is redeemed.
    struct ResetGrant: Decodable {
        var instance: String
        var email: String
    }

    func addAdminRoutes(to router: Router<RuntimeRequestContext>) {
        router.get("/admin") { request, _ in
            if signedIn(request) {
                return page("admin", title: "Admin", ["signedIn": true, "email": admin.email, "noteCount": try await notes.count()])
            }
            return page("admin", title: "Admin", ["signedIn": false, "passwordSet": try await admin.passwordIsSet()])
        }
        router.post("/admin/login") { request, context in
            let form = try await URLEncodedFormDecoder().decode(SignInForm.self, from: request, context: context)
            guard let session = try await admin.signIn(email: form.email, password: form.password, now: Date()) else {
                return page("admin", title: "Admin", ["signedIn": false, "passwordSet": true, "error": "Wrong e-mail or password."], status: .unauthorized)
            }
            var response = Response(status: .seeOther, headers: [.location: "/admin"])
            response.setCookie(Cookie(name: Self.sessionCookie, value: session, maxAge: Int(AdminAccount.sessionLifetime), path: "/", httpOnly: true, sameSite: .strict))
            return response
        }
        router.post("/admin/logout") { _, _ in
            var response = Response(status: .seeOther, headers: [.location: "/admin"])
            response.setCookie(Cookie(name: Self.sessionCookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
            return response
        }
        router.get("/-/reset-password") { _, _ in page("reset", title: "Reset password") }
        router.post("/-/reset-password") { request, context in
            let form = try await URLEncodedFormDecoder().decode(ResetForm.self, from: request, context: context)
            guard form.password.count >= 12 else {
                return page("reset", title: "Reset password", ["message": "The password must be at least 12 characters."], status: .unprocessableContent)
            }
            switch await redeem(token: form.token, trace: context.trace, logger: context.logger) {
            case .success:
                try await admin.setPassword(form.password, now: Date())
                context.logger.notice("admin password set through a reset link")
                return page("reset", title: "Reset password", ["message": "The password is set. Sign in on the admin page.", "done": true])
            case .failure(let reason):
                return page("reset", title: "Reset password", ["message": reason, "done": true], status: .forbidden)
            }
        }
    }

    func signedIn(_ request: Request) -> Bool {
        request.cookies[Self.sessionCookie].map { admin.isValid(session: $0.value, now: Date()) } ?? false
    }

    enum Redemption { case success, failure(String) }

    /// Asks Wharf to redeem the token (once); the link must be for this instance and its admin e-mail.
    func redeem(token: String, trace: TraceContext, logger: Logger) async -> Redemption {
        guard let wharf = contract.wharfURL else { return .failure("This instance is not managed by Wharf, so it cannot check reset links.") }
        var request = HTTPClientRequest(url: wharf + "/v1/password-resets/redeem")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "traceparent", value: trace.header)
        do {
            request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(["token": token])))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 64 * 1024)
            guard response.status == .ok else { return .failure("The link is not valid: it may have been used or have expired. Ask for a new one.") }
            let grant = try JSONDecoder().decode(ResetGrant.self, from: Data(buffer: body))
            guard grant.email.lowercased() == admin.email.lowercased(), grant.instance == contract.environmentID else {
                return .failure("The link was issued for another instance or admin.")
            }
            return .success
        } catch {
            logger.warning("could not reach Wharf to redeem a reset link", metadata: ["error": "\(error)"])
            return .failure("Wharf could not be reached; try again in a moment.")
        }
    }
}

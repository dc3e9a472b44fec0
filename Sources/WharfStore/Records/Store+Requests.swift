import Foundation
import SQLKit
import WharfCore

extension Store {
    /// Submits a request: validates it, refuses it when a conflicting request is open on the instance,
    /// computes its SLA deadlines and records it. Self-service and automatic kinds are approved and
    /// applied in the same transaction; manual ones wait for a decision.
    public func submitRequest(_ submission: RequestSubmission, actor: Actor, idempotency: IdempotencyKey? = nil) async throws -> Created<LifecycleRequest> {
        let now = now()
        let submission = try submission.validated(now: now)
        try RequestAuthority.checkSubmit(submission.kind, by: actor)
        let kind = submission.kind
        let slug = submission.instance ?? ""
        let deadlines = RequestDeadlines.compute(
            kind: kind, submittedAt: now, agreedAt: submission.agreedAt, releasedAt: submission.parameters.releasedAt, calendar: calendar
        )
        let submitted = LifecycleRequest(
            id: LifecycleRequest.makeID(at: now), kind: kind, instance: slug, parameters: submission.parameters, agreedAt: submission.agreedAt,
            submittedAt: now, submittedBy: actor, deadlines: deadlines
        )
        let conflict = "a \(kind.rawValue) request for '\(slug)' was submitted already"
        return try await idempotent(idempotency, conflict: conflict, recording: { $0.withoutSecrets }) { db in
            var created = submitted
            var instance: Instance?
            if !kind.createsInstance {
                guard let current = try await Self.instanceRow(db, slug: slug, forUpdate: true) else { throw WharfError.notFound("instance", slug) }
                _ = try RequestEffect.apply(kind, submission.parameters, to: current, now: now, retention: retention)
                instance = current
            }
            try await Self.refuseConflicts(db, created)
            try await Self.insertRequest(db, created)
            try await Self.appendAudit(
                db, at: now, actor: actor, action: "request.submit", target: "request:\(created.id)",
                detail: ["kind": .string(kind.rawValue), "instance": .string(slug), "parameters": try JSONValue(encoding: created.parameters)]
            )
            try await Self.recordEvent(db, .submitted, created, at: now)
            if created.mode != .manual {
                created = try await approve(db, created, instance: instance, parameters: submission.parameters, actor: .system, reason: "\(created.mode.rawValue) request with valid parameters", at: now)
            }
            return created
        }
    }

    public func request(id: String) async throws -> LifecycleRequest {
        guard let request = try await read({ db in try await Self.requestRow(db, id: id) }) else { throw WharfError.notFound("request", id) }
        return request
    }

    /// A page of requests in submission order.
    public func requests(_ query: RequestQuery) async throws -> Page<LifecycleRequest> {
        let rows = try await read { db in
            var select = db.select().column("doc").from("wharf_requests")
            if let state = query.state { select = select.where("state", .equal, SQLBind(state.rawValue)) }
            if query.openOnly { select = select.where("state", .in, RequestState.allCases.filter(\.isOpen).map(\.rawValue)) }
            if let kind = query.kind { select = select.where("kind", .equal, SQLBind(kind.rawValue)) }
            if let instance = query.instance { select = select.where("instance", .equal, SQLBind(instance)) }
            if let after = query.after { select = select.where("id", .greaterThan, SQLBind(after)) }
            return try await select.orderBy("id").limit(query.limit + 1).all().map { try JSONColumn.decode(LifecycleRequest.self, try $0.decode(column: "doc", as: String.self)) }
        }
        let page = Array(rows.prefix(query.limit))
        return Page(items: page, nextCursor: rows.count > query.limit ? page.last.map { Cursor.encode($0.id) } : nil)
    }

    /// Approves, rejects, cancels or fails a request, as `event` says, after checking that `actor` may.
    /// Approval applies the request's change to the instance in the same transaction.
    public func decideRequest(id: String, _ event: RequestEvent, reason: String? = nil, actor: Actor) async throws -> LifecycleRequest {
        let now = now()
        return try await write { db in
            guard let current = try await Self.requestRow(db, id: id, forUpdate: true) else { throw WharfError.notFound("request", id) }
            let instance = current.kind.createsInstance && current.state == .submitted ? nil : try await Self.instanceRow(db, slug: current.instance, forUpdate: true)
            switch event {
            case .approve:
                try RequestAuthority.checkDecide(current.kind, instance: instance, by: actor)
                return try await approve(db, current, instance: instance, parameters: current.parameters, actor: actor, reason: reason, at: now)
            case .reject, .fail:
                try RequestAuthority.checkDecide(current.kind, instance: instance, by: actor)
            case .cancel:
                try RequestAuthority.checkCancel(current, by: actor)
            case .start, .complete:
                throw WharfError(.forbidden, "requests are started and completed by Wharf when their change is carried out, not by hand")
            }
            return try await Self.transition(db, current, event, by: actor, reason: reason, at: now)
        }
    }

    /// Moves the resolution deadline of an open request on by `draft.duration`, with a reason, audited.
    public func extendRequest(id: String, _ draft: SLAExtensionDraft, actor: Actor) async throws -> LifecycleRequest {
        guard actor.role.allows(.manageRegistry) else { throw WharfError(.forbidden, "only an operator or admin may extend an SLA") }
        let now = now()
        return try await write { [calendar] db in
            guard let current = try await Self.requestRow(db, id: id, forUpdate: true) else { throw WharfError.notFound("request", id) }
            let next = try current.extended(by: draft.duration, reason: draft.reason, actor: actor, at: now, calendar: calendar)
            try await Self.updateRequest(db, next)
            try await Self.appendAudit(db, at: now, actor: actor, action: "request.extend", target: "request:\(id)", detail: next.extensions.last)
            return next
        }
    }

    /// Completes every in-progress request on the instance that `observed` shows carried out, and returns
    /// them. The reconciler calls this after each observation; `RequestCompletion` decides.
    @discardableResult
    public func completeSatisfiedRequests(slug: String, observed: ObservedInstance?) async throws -> [LifecycleRequest] {
        let now = now()
        return try await write { db in
            guard let instance = try await Self.instanceRow(db, slug: slug) else { return [] }
            var completed: [LifecycleRequest] = []
            let rows = try await db.select().column("doc").from("wharf_requests").where("instance", .equal, SQLBind(slug))
                .where("state", .equal, SQLBind(RequestState.inProgress.rawValue)).orderBy("id").lockingClause(SQLLockingClause.update).all()
            for row in rows {
                let request = try JSONColumn.decode(LifecycleRequest.self, try row.decode(column: "doc", as: String.self))
                guard RequestCompletion.isSatisfied(request, desired: instance, observed: observed) else { continue }
                completed.append(try await Self.transition(db, request, .complete, by: .system, at: now))
            }
            return completed
        }
    }

    /// Approves `request` (already locked) and applies it: the instance's desired state changes, the
    /// request starts, and it completes at once when the registry change is all it needs.
    private func approve(
        _ db: any SQLDatabase, _ request: LifecycleRequest, instance: Instance?, parameters: RequestParameters, actor: Actor, reason: String?, at now: Date
    ) async throws -> LifecycleRequest {
        var request = try await Self.transition(db, request, .approve, by: actor, reason: reason, at: now)
        let context: [String: JSONValue] = ["request": .string(request.id), "kind": .string(request.kind.rawValue)]
        let desired: Instance
        if let draft = parameters.instance, request.kind.createsInstance {
            var draft = draft
            if request.kind == .createTrial { draft.type = .trial }
            let (validated, licenceKey) = try Self.prefixingFields("parameters.instance.") { () throws(WharfError) in try draft.validated(now: now, baseDomain: baseDomain) }
            let sealed = try licenceKey.map(seal(licenceKey:))
            desired = try await Self.insertInstance(db, validated, sealedLicenceKey: sealed, fieldPrefix: "parameters.instance.")
            try await Self.appendAudit(db, at: now, actor: actor, action: "instance.create", target: "instance:\(desired.slug)", detail: context.merging(["instance": try JSONValue(encoding: desired)]) { a, _ in a })
        } else if let current = instance {
            desired = try RequestEffect.apply(request.kind, parameters, to: current, now: now, retention: retention)
            let sealed = try parameters.licenceKey.map(seal(licenceKey:))
            if desired != current || sealed != nil {
                try await Self.writeInstance(db, from: current, to: desired, sealedLicenceKey: sealed, actor: actor, action: "instance.update", at: now, context: context)
            }
        } else {
            throw WharfError.notFound("instance", request.instance)
        }
        request = try await Self.transition(db, request, .start, by: .system, at: now)
        // The reconciler looks at the instance at once, even when the request changed nothing in the registry.
        try await Self.markReconcileDue(db, slug: desired.slug, at: now)
        if request.kind == .tearDown { try await Self.supersedeOpenRequests(db, on: desired.slug, by: request, at: now) }
        if request.kind == .resetAdminPassword {
            let (link, tokenHash) = PasswordResetLink.issue(for: desired, now: now)
            try await db.insert(into: "wharf_password_resets").columns("token_hash", "instance", "email", "request_id", "expires_ms")
                .values(SQLBind(tokenHash), SQLBind(desired.slug), SQLBind(link.email), SQLBind(request.id), SQLBind(JSONColumn.millis(link.expiresAt))).run()
            request.passwordReset = link
        }
        if RequestCompletion.isSatisfied(request, desired: desired, observed: nil) {
            let link = request.passwordReset
            request = try await Self.transition(db, request, .complete, by: .system, at: now)
            request.passwordReset = link
        }
        return request
    }

    /// Applies one state-machine event, stores the result, audits it and records the outgoing event.
    static func transition(_ db: any SQLDatabase, _ request: LifecycleRequest, _ event: RequestEvent, by actor: Actor, reason: String? = nil, at now: Date) async throws -> LifecycleRequest {
        let next = try request.applying(event, by: actor, at: now, reason: reason)
        try await updateRequest(db, next)
        try await appendAudit(
            db, at: now, actor: actor, action: "request.\(event.rawValue)", target: "request:\(next.id)",
            detail: ["kind": .string(next.kind.rawValue), "instance": .string(next.instance), "state": .string(next.state.rawValue), "reason": reason.map(JSONValue.string) ?? .null]
        )
        if let outgoing = RequestEventKind(after: next.state) { try await recordEvent(db, outgoing, next, at: now) }
        return next
    }

    /// A tear-down ends every other open request on the instance: those not started are cancelled, those
    /// in progress (a create still provisioning, say) fail, each naming the tear-down.
    static func supersedeOpenRequests(_ db: any SQLDatabase, on slug: String, by tearDown: LifecycleRequest, at now: Date) async throws {
        let rows = try await db.select().column("doc").from("wharf_requests").where("instance", .equal, SQLBind(slug))
            .where("state", .in, RequestState.allCases.filter(\.isOpen).map(\.rawValue)).where("id", .notEqual, SQLBind(tearDown.id))
            .orderBy("id").lockingClause(SQLLockingClause.update).all()
        for row in rows {
            let open = try JSONColumn.decode(LifecycleRequest.self, try row.decode(column: "doc", as: String.self))
            let event: RequestEvent = open.state == .inProgress ? .fail : .cancel
            _ = try await transition(db, open, event, by: .system, reason: "superseded by tear-down \(tearDown.id)", at: now)
        }
    }

    /// Refuses the request when another open request in its conflict group is open on the same instance.
    static func refuseConflicts(_ db: any SQLDatabase, _ request: LifecycleRequest) async throws {
        guard let key = request.conflictKey,
            let row = try await db.select().column("doc").from("wharf_requests").where("conflict_key", .equal, SQLBind(key)).first()
        else { return }
        let open = try JSONColumn.decode(LifecycleRequest.self, try row.decode(column: "doc", as: String.self))
        throw WharfError(
            .conflict,
            "request \(open.id) (\(open.kind.rawValue), \(open.state.rawValue)) is open on '\(request.instance)' and conflicts with \(request.kind.rawValue); "
                + "wait for it to finish or cancel it first"
        )
    }

    static func insertRequest(_ db: any SQLDatabase, _ request: LifecycleRequest) async throws {
        let columns = requestColumns(request)
        try await db.insert(into: "wharf_requests").columns(["id"] + columns.map(\.0)).values([SQLBind(request.id)] + columns.map(\.1)).run()
    }

    static func updateRequest(_ db: any SQLDatabase, _ request: LifecycleRequest) async throws {
        var update = db.update("wharf_requests")
        for (column, value) in requestColumns(request) { update = update.set(column, to: value) }
        try await update.where("id", .equal, SQLBind(request.id)).run()
    }

    /// The indexed copies of a request's members, next to its document.
    private static func requestColumns(_ request: LifecycleRequest) -> [(String, SQLBind)] {
        let millis = { (date: Date?) in SQLBind(date.map(JSONColumn.millis)) }
        return [
            ("instance", SQLBind(request.instance)), ("kind", SQLBind(request.kind.rawValue)), ("state", SQLBind(request.state.rawValue)),
            ("conflict_key", SQLBind(request.state.isOpen ? request.conflictKey : nil)), ("submitted_ms", millis(request.submittedAt)),
            ("responded_ms", millis(request.respondedAt)), ("resolved_ms", millis(request.resolvedAt)), ("response_due_ms", millis(request.responseDue)),
            ("resolution_due_ms", millis(request.resolutionDue)), ("resolution_start_ms", millis(request.resolutionStart)),
            ("doc", SQLBind((try? JSONColumn.encode(request.withoutSecrets)) ?? "{}")),
        ]
    }

    static func requestRow(_ db: any SQLDatabase, id: String, forUpdate: Bool = false) async throws -> LifecycleRequest? {
        var query = db.select().column("doc").from("wharf_requests").where("id", .equal, SQLBind(id))
        if forUpdate { query = query.lockingClause(SQLLockingClause.update) }
        return try await query.first().map { try JSONColumn.decode(LifecycleRequest.self, try $0.decode(column: "doc", as: String.self)) }
    }

    /// Runs `body`, moving any field errors it throws under `prefix` (a draft validated as a parameter).
    static func prefixingFields<T>(_ prefix: String, _ body: () throws(WharfError) -> T) throws(WharfError) -> T {
        do {
            return try body()
        } catch {
            var error = error
            error.fieldErrors = error.fieldErrors.map { FieldError(prefix + $0.field, $0.code, $0.message) }
            throw error
        }
    }
}

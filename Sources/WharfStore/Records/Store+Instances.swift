import Foundation
import SQLKit
import WharfCore

extension Store {
    /// Validates and creates an instance in state `requested`; the licence key, if any, is sealed.
    public func createInstance(_ draft: InstanceDraft, actor: Actor, idempotency: IdempotencyKey? = nil) async throws -> Created<Instance> {
        let (validated, licenceKey) = try draft.validated(now: now(), baseDomain: baseDomain)
        let sealed = try licenceKey.map(seal(licenceKey:))
        return try await idempotent(idempotency, conflict: "an instance with slug '\(validated.slug)' exists already") { db in
            let instance = try await Self.insertInstance(db, validated, sealedLicenceKey: sealed)
            try await Self.appendAudit(db, at: instance.createdAt, actor: actor, action: "instance.create", target: "instance:\(instance.slug)", detail: instance)
            return instance
        }
    }

    /// Inserts a validated new instance after checking its customer exists and its slug was never used.
    static func insertInstance(_ db: any SQLDatabase, _ validated: Instance, sealedLicenceKey sealed: SealedLicenceKey?, fieldPrefix: String = "") async throws -> Instance {
        guard let customer = try await customerRow(db, id: validated.customerID) else {
            throw WharfError.invalid([FieldError(fieldPrefix + "customerId", "not_found", "no customer with id '\(validated.customerID)'; create it first")])
        }
        if try await db.select().column("slug").from("wharf_instances").where("slug", .equal, SQLBind(validated.slug)).first() != nil {
            throw WharfError(
                .conflict, "an instance with slug '\(validated.slug)' exists already; slugs are never reused",
                fieldErrors: [FieldError(fieldPrefix + "slug", "taken", "is taken")]
            )
        }
        try await ensureLicenceKeyUnused(db, sealed, by: validated.slug, field: fieldPrefix + "licenceKey")
        var instance = validated
        instance.customerName = customer.name
        try await db.insert(into: "wharf_instances")
            .columns("slug", "customer_id", "state", "plan", "channel", "doc", "licence_key_sealed", "gateway_token_hash")
            .values(
                SQLBind(instance.slug), SQLBind(instance.customerID), SQLBind(instance.state.rawValue), SQLBind(instance.plan.rawValue),
                SQLBind(instance.channel.rawValue), SQLBind(try JSONColumn.encode(instance)), SQLBind(sealed?.sealed), SQLBind(sealed?.gatewayTokenHash)
            )
            .run()
        try await markReconcileDue(db, slug: instance.slug, at: instance.createdAt)
        return instance
    }

    public func instance(slug: String) async throws -> Instance {
        guard let instance = try await read({ db in try await Self.instanceRow(db, slug: slug) }) else { throw WharfError.notFound("instance", slug) }
        return instance
    }

    /// A page of instances in slug order, filtered by `query`.
    public func instances(_ query: InstanceQuery) async throws -> Page<Instance> {
        let page = try await instanceDocuments(query)
        return Page(items: try page.items.map { try $0.decode(Instance.self) }, nextCursor: page.nextCursor)
    }

    /// Every instance (in `state`, if given), read page by page; for loops over the whole fleet.
    public func allInstances(state: InstanceState? = nil) async throws -> [Instance] {
        var all: [Instance] = []
        var query = InstanceQuery(state: state, limit: 500)
        while true {
            let page = try await instanceDocuments(query)
            all += try page.items.map { try $0.decode(Instance.self) }
            guard let next = page.nextCursor else { return all }
            query.after = try Cursor.decode(next)
        }
    }

    /// The same page as `instances(_:)`, as the stored JSON of each instance (which is its API form), for
    /// the API to send on without decoding it.
    public func instanceDocuments(_ query: InstanceQuery) async throws -> Page<RawJSON> {
        let rows = try await read { db in
            var select = db.select().column("slug").column("doc").from("wharf_instances")
            if let state = query.state { select = select.where("state", .equal, SQLBind(state.rawValue)) }
            if let plan = query.plan { select = select.where("plan", .equal, SQLBind(plan.rawValue)) }
            if let channel = query.channel { select = select.where("channel", .equal, SQLBind(channel.rawValue)) }
            if let customer = query.customerID { select = select.where("customer_id", .equal, SQLBind(customer)) }
            if let after = query.after { select = select.where("slug", .greaterThan, SQLBind(after)) }
            return try await select.orderBy("slug").limit(query.limit + 1).all().map { row in
                (slug: try row.decode(column: "slug", as: String.self), doc: RawJSON(try row.decode(column: "doc", as: String.self)))
            }
        }
        let page = rows.prefix(query.limit)
        return Page(items: page.map(\.doc), nextCursor: rows.count > query.limit ? page.last.map { Cursor.encode($0.slug) } : nil)
    }

    /// Applies a partial update of mutable members and audits what changed.
    public func updateInstance(slug: String, _ patch: InstancePatch, actor: Actor) async throws -> Instance {
        let now = now()
        return try await mutateInstance(slug: slug, actor: actor, action: "instance.update") { current in
            let (next, licenceKey) = try patch.applied(to: current, now: now)
            return (next, try licenceKey.map(seal(licenceKey:)))
        }
    }

    /// Applies a lifecycle event through the state machine and audits the transition.
    public func applyEvent(slug: String, _ request: InstanceEventRequest, actor: Actor) async throws -> Instance {
        let now = now()
        return try await mutateInstance(slug: slug, actor: actor, action: "instance.\(request.event.rawValue)") { current in
            (try request.applied(to: current, now: now), nil)
        }
    }

    /// Records the static egress addresses the provider reserved for the instance, as the system.
    public func recordEgressAddresses(slug: String, _ addresses: [String]) async throws -> Instance {
        try await mutateInstance(slug: slug, actor: .system, action: "instance.egress_recorded") { current in
            var next = current
            next.egressStaticIPs = addresses
            return (next, nil)
        }
    }

    /// Marks a custom domain verified when the requester echoes its token (the local stand-in for a DNS TXT
    /// lookup), unless another instance routes that domain already.
    public func verifyCustomDomain(slug: String, domain: String, _ request: DomainVerificationRequest, actor: Actor) async throws -> Instance {
        let now = now()
        return try await write { db in
            guard let current = try await Self.instanceRow(db, slug: slug, forUpdate: true) else { throw WharfError.notFound("instance", slug) }
            let next = try request.applied(to: current, domain: domain, now: now)
            guard next != current else { return current }
            if let owner = try await Self.instanceRouting(db, domain: domain.lowercased(), except: slug) {
                throw WharfError(.conflict, "'\(domain)' routes to the instance '\(owner)' already; remove it there first")
            }
            try await Self.writeInstance(
                db, from: current, to: next, sealedLicenceKey: nil, actor: actor, action: "instance.domain_verified", at: now,
                context: ["domain": .string(domain.lowercased())]
            )
            return next
        }
    }

    /// The slug of another live instance that `domain` routes to: its default domain or a verified custom one.
    static func instanceRouting(_ db: any SQLDatabase, domain: String, except slug: String) async throws -> String? {
        // Domain names hold no LIKE wildcards, so the pattern only narrows the rows decoded.
        let rows = try await db.select().column("doc").from("wharf_instances")
            .where("slug", .notEqual, SQLBind(slug)).where("doc", .like, SQLBind("%\"\(domain)\"%")).all()
        for row in rows {
            let other = try JSONColumn.decode(Instance.self, try row.decode(column: "doc", as: String.self))
            guard other.state != .deleted else { continue }
            if other.defaultDomain == domain || other.customDomains.contains(where: { $0.domain == domain && $0.verification == .verified }) {
                return other.slug
            }
        }
        return nil
    }

    /// The instance's licence key, unsealed; for the parts of Wharf that hand it to the instance.
    public func licenceKey(slug: String) async throws -> String? {
        let sealed = try await read { db in
            try await db.select().column("licence_key_sealed").from("wharf_instances").where("slug", .equal, SQLBind(slug)).first()
        }
        guard let sealed else { throw WharfError.notFound("instance", slug) }
        guard try !sealed.decodeNil(column: "licence_key_sealed") else { return nil }
        return try secrets.open(Array(try sealed.decode(column: "licence_key_sealed", as: Data.self)))
    }

    /// Reads the instance under a row lock, applies `change`, writes the result and its audit entry.
    private func mutateInstance(
        slug: String, actor: Actor, action: String, _ change: @escaping @Sendable (Instance) throws -> (Instance, SealedLicenceKey?)
    ) async throws -> Instance {
        let now = now()
        return try await write { db in
            guard let current = try await Self.instanceRow(db, slug: slug, forUpdate: true) else { throw WharfError.notFound("instance", slug) }
            let (next, sealedKey) = try change(current)
            guard next != current || sealedKey != nil else { return current }
            try await Self.writeInstance(db, from: current, to: next, sealedLicenceKey: sealedKey, actor: actor, action: action, at: now)
            return next
        }
    }

    /// Writes a changed instance and audits exactly what changed; `context` adds members to the audit detail
    /// (such as the request that caused the change).
    static func writeInstance(
        _ db: any SQLDatabase, from current: Instance, to next: Instance, sealedLicenceKey sealedKey: SealedLicenceKey?, actor: Actor, action: String, at now: Date,
        context: [String: JSONValue] = [:]
    ) async throws {
        var update = db.update("wharf_instances")
            .set("state", to: SQLBind(next.state.rawValue)).set("plan", to: SQLBind(next.plan.rawValue))
            .set("channel", to: SQLBind(next.channel.rawValue)).set("doc", to: SQLBind(try JSONColumn.encode(next)))
        try await ensureLicenceKeyUnused(db, sealedKey, by: next.slug, field: "licenceKey")
        if let sealedKey {
            update = update.set("licence_key_sealed", to: SQLBind(sealedKey.sealed)).set("gateway_token_hash", to: SQLBind(sealedKey.gatewayTokenHash))
        }
        try await update.where("slug", .equal, SQLBind(next.slug)).run()
        try await markReconcileDue(db, slug: next.slug, at: now)
        var detail = try JSONValue.changes(from: current, to: next, ignoring: ["updatedAt", "customerName"])
        if sealedKey != nil, detail["licenceKeyFingerprint"] == nil { detail["licenceKeyFingerprint"] = .string("replaced with the same key") }
        var entry = context
        entry["changes"] = .object(detail)
        try await appendAudit(db, at: now, actor: actor, action: action, target: "instance:\(next.slug)", detail: entry)
    }

    /// Refuses a licence key another instance has: the AI gateway tells instances apart by it.
    static func ensureLicenceKeyUnused(_ db: any SQLDatabase, _ key: SealedLicenceKey?, by slug: String, field: String) async throws {
        guard let key,
            let row = try await db.select().column("slug").from("wharf_instances").where("gateway_token_hash", .equal, SQLBind(key.gatewayTokenHash))
                .where("slug", .notEqual, SQLBind(slug)).first()
        else { return }
        let owner = try row.decode(column: "slug", as: String.self)
        throw WharfError(
            .conflict, "the instance \(owner) has this licence key already; each instance needs its own, because the AI gateway tells instances apart by it",
            fieldErrors: [FieldError(field, "in_use", "is the licence key of another instance")]
        )
    }

    static func instanceRow(_ db: any SQLDatabase, slug: String, forUpdate: Bool = false) async throws -> Instance? {
        var query = db.select().column("doc").from("wharf_instances").where("slug", .equal, SQLBind(slug))
        if forUpdate { query = query.lockingClause(SQLLockingClause.update) }
        return try await query.first().map { try JSONColumn.decode(Instance.self, try $0.decode(column: "doc", as: String.self)) }
    }

    /// Keeps the customer name copied into each of the customer's instances current, in the transaction
    /// that renames the customer, so stored instance documents stay exactly what the API returns.
    static func renameCustomer(_ db: any SQLDatabase, id: String, to name: String) async throws {
        let rows = try await db.select().column("doc").from("wharf_instances").where("customer_id", .equal, SQLBind(id))
            .lockingClause(SQLLockingClause.update).all()
        for row in rows {
            var instance = try JSONColumn.decode(Instance.self, try row.decode(column: "doc", as: String.self))
            instance.customerName = name
            try await db.update("wharf_instances").set("doc", to: SQLBind(try JSONColumn.encode(instance)))
                .where("slug", .equal, SQLBind(instance.slug)).run()
        }
    }
}

import Foundation
import SQLKit
import WharfCore

extension Store {
    /// Creates a customer; `conflict` if the id is taken. With an idempotency key a retry returns the first
    /// result and creates nothing.
    public func createCustomer(_ draft: CustomerDraft, actor: Actor, idempotency: IdempotencyKey? = nil) async throws -> Created<Customer> {
        let customer = try draft.validated(now: now())
        return try await idempotent(idempotency, conflict: "a customer with id '\(customer.id)' exists already") { db in
            if try await Self.customerRow(db, id: customer.id) != nil {
                throw WharfError(.conflict, "a customer with id '\(customer.id)' exists already", fieldErrors: [FieldError("id", "taken", "is taken")])
            }
            try await db.insert(into: "wharf_customers").columns("id", "name", "doc")
                .values(SQLBind(customer.id), SQLBind(customer.name), SQLBind(try JSONColumn.encode(customer))).run()
            try await Self.appendAudit(db, at: customer.createdAt, actor: actor, action: "customer.create", target: "customer:\(customer.id)", detail: customer)
            return customer
        }
    }

    public func customer(id: String) async throws -> Customer {
        guard let customer = try await read({ db in try await Self.customerRow(db, id: id) }) else { throw WharfError.notFound("customer", id) }
        return customer
    }

    /// Customers ordered by id, `limit` at a time after the id `after`.
    public func customers(after: String? = nil, limit: Int = InstanceQuery.defaultLimit) async throws -> Page<Customer> {
        let rows = try await read { db in
            var query = db.select().column("doc").from("wharf_customers")
            if let after { query = query.where("id", .greaterThan, SQLBind(after)) }
            return try await query.orderBy("id").limit(limit + 1).all().map { try JSONColumn.decode(Customer.self, try $0.decode(column: "doc", as: String.self)) }
        }
        let page = Array(rows.prefix(limit))
        return Page(items: page, nextCursor: rows.count > limit ? page.last.map { Cursor.encode($0.id) } : nil)
    }

    public func updateCustomer(id: String, _ patch: CustomerPatch, actor: Actor) async throws -> Customer {
        let now = now()
        return try await write { db in
            guard let current = try await Self.customerRow(db, id: id, forUpdate: true) else { throw WharfError.notFound("customer", id) }
            let next = try patch.applied(to: current, now: now)
            guard next != current else { return current }
            try await db.update("wharf_customers").set("name", to: SQLBind(next.name)).set("doc", to: SQLBind(try JSONColumn.encode(next)))
                .where("id", .equal, SQLBind(id)).run()
            if next.name != current.name { try await Self.renameCustomer(db, id: id, to: next.name) }
            let changes = try JSONValue.changes(from: current, to: next, ignoring: ["updatedAt"])
            try await Self.appendAudit(db, at: now, actor: actor, action: "customer.update", target: "customer:\(id)", detail: ["changes": changes])
            return next
        }
    }

    static func customerRow(_ db: any SQLDatabase, id: String, forUpdate: Bool = false) async throws -> Customer? {
        var query = db.select().column("doc").from("wharf_customers").where("id", .equal, SQLBind(id))
        if forUpdate { query = query.lockingClause(SQLLockingClause.update) }
        return try await query.first().map { try JSONColumn.decode(Customer.self, try $0.decode(column: "doc", as: String.self)) }
    }
}

import SQLKit
import WharfCore
import WharfRuntime

/// Every schema version Wharf knows, in order.
///
/// Records keep their full JSON in `doc` and copy into columns only what is filtered, sorted or constrained
/// on: one decoder for every engine, and new members need no migration.
enum Migrations {
    static let all: [Migration] = [
        Migration(version: 1, name: "registry, tokens, audit, idempotency") { db, kind in
            let bytes: SQLDataType = kind == .postgres ? .custom(SQLRaw("BYTEA")) : .blob
            try await db.create(table: "wharf_customers")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("name", type: .text, .notNull)
                .column("doc", type: .text, .notNull)
                .run()
            try await db.create(table: "wharf_instances")
                .column("slug", type: .text, .primaryKey(autoIncrement: false))
                .column("customer_id", type: .text, .notNull, .references("wharf_customers", "id"))
                .column("state", type: .text, .notNull)
                .column("plan", type: .text, .notNull)
                .column("channel", type: .text, .notNull)
                .column("doc", type: .text, .notNull)
                .column("licence_key_sealed", type: bytes)
                .run()
            for column in ["state", "plan", "channel", "customer_id"] {
                try await db.create(index: "wharf_instances_\(column)_slug").on("wharf_instances").column(column).column("slug").run()
            }
            try await db.create(table: "wharf_tokens")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("secret_hash", type: .text, .notNull, .unique)
                .column("doc", type: .text, .notNull)
                .column("revoked", type: .bigint, .notNull)
                .run()
            try await db.create(table: "wharf_audit_log")
                .column("seq", type: .bigint, .primaryKey(autoIncrement: false))
                .column("at_ms", type: .bigint, .notNull)
                .column("actor", type: .text, .notNull)
                .column("action", type: .text, .notNull)
                .column("target", type: .text, .notNull)
                .column("detail", type: .text, .notNull)
                .column("prev_hash", type: .text, .notNull)
                .column("hash", type: .text, .notNull)
                .run()
            try await db.create(index: "wharf_audit_log_target_seq").on("wharf_audit_log").column("target").column("seq").run()
            try await db.create(table: "wharf_audit_head")
                .column("id", type: .bigint, .primaryKey(autoIncrement: false))
                .column("seq", type: .bigint, .notNull)
                .column("hash", type: .text, .notNull)
                .run()
            try await db.insert(into: "wharf_audit_head").columns("id", "seq", "hash").values(SQLBind(1), SQLBind(0), SQLBind(AuditChain.genesis)).run()
            try await db.create(table: "wharf_idempotency_keys")
                .column("scope_key", type: .text, .primaryKey(autoIncrement: false))
                .column("fingerprint", type: .text, .notNull)
                .column("response", type: .text, .notNull)
                .column("created_ms", type: .bigint, .notNull)
                .run()
        },
        Migration(version: 2, name: "lifecycle requests, password resets, notices, request events") { db, _ in
            try await db.create(table: "wharf_requests")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("instance", type: .text, .notNull)
                .column("kind", type: .text, .notNull)
                .column("state", type: .text, .notNull)
                // `instance/group` while the request is open, NULL after: at most one open request per
                // conflict group and instance, enforced by the database even under concurrent submits.
                .column("conflict_key", type: .text, .unique)
                .column("submitted_ms", type: .bigint, .notNull)
                .column("responded_ms", type: .bigint)
                .column("resolved_ms", type: .bigint)
                .column("response_due_ms", type: .bigint)
                .column("resolution_due_ms", type: .bigint)
                .column("resolution_start_ms", type: .bigint)
                .column("near_breach_ms", type: .bigint)
                .column("doc", type: .text, .notNull)
                .run()
            try await db.create(index: "wharf_requests_instance_id").on("wharf_requests").column("instance").column("id").run()
            try await db.create(index: "wharf_requests_state_id").on("wharf_requests").column("state").column("id").run()
            try await db.create(index: "wharf_requests_resolved").on("wharf_requests").column("resolved_ms").run()
            try await db.create(table: "wharf_password_resets")
                .column("token_hash", type: .text, .primaryKey(autoIncrement: false))
                .column("instance", type: .text, .notNull)
                .column("email", type: .text, .notNull)
                .column("request_id", type: .text, .notNull)
                .column("expires_ms", type: .bigint, .notNull)
                .column("used_ms", type: .bigint)
                .run()
            try await db.create(table: "wharf_notices")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("at_ms", type: .bigint, .notNull)
                .run()
            try await db.create(table: "wharf_request_events")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("at_ms", type: .bigint, .notNull)
                .column("event", type: .text, .notNull)
                .column("request_id", type: .text, .notNull)
                .column("doc", type: .text, .notNull)
                .run()
            try await db.create(index: "wharf_request_events_at").on("wharf_request_events").column("at_ms").column("id").run()
        },
        Migration(version: 3, name: "webhooks and their deliveries") { db, kind in
            let bytes: SQLDataType = kind == .postgres ? .custom(SQLRaw("BYTEA")) : .blob
            try await db.create(table: "wharf_webhooks")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("doc", type: .text, .notNull)
                .column("url_sealed", type: bytes, .notNull)
                .run()
            try await db.create(table: "wharf_webhook_deliveries")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("webhook_id", type: .text, .notNull)
                .column("event_id", type: .text, .notNull)
                .column("state", type: .text, .notNull)
                .column("next_attempt_ms", type: .bigint)
                .column("doc", type: .text, .notNull)
                .run()
            try await db.create(index: "wharf_webhook_deliveries_due").on("wharf_webhook_deliveries").column("state").column("next_attempt_ms").run()
            try await db.create(index: "wharf_webhook_deliveries_webhook").on("wharf_webhook_deliveries").column("webhook_id").column("id").run()
        },
        Migration(version: 4, name: "reconcile jobs and per-minute health") { db, _ in
            // One job per instance: level-triggered, so a job says "look at this instance", never what to do.
            // `generation` counts changes, so a change made while a worker holds the job is not lost.
            try await db.create(table: "wharf_reconcile_jobs")
                .column("slug", type: .text, .primaryKey(autoIncrement: false))
                .column("due_ms", type: .bigint, .notNull)
                .column("generation", type: .bigint, .notNull)
                .column("lease_owner", type: .text)
                .column("lease_until_ms", type: .bigint)
                .column("attempts", type: .bigint, .notNull)
                .column("last_error", type: .text)
                .run()
            try await db.create(index: "wharf_reconcile_jobs_due").on("wharf_reconcile_jobs").column("due_ms").run()
            try await db.raw(
                "INSERT INTO wharf_reconcile_jobs (slug, due_ms, generation, attempts) SELECT slug, 0, 1, 0 FROM wharf_instances WHERE state <> 'deleted'"
            ).run()
            try await db.create(table: "wharf_health_minutes")
                .column("slug", type: .text, .notNull)
                .column("minute_ms", type: .bigint, .notNull)
                .column("probes", type: .bigint, .notNull)
                .column("healthy", type: .bigint, .notNull)
                .column("latency_ms_total", type: .bigint, .notNull)
                .primaryKey("slug", "minute_ms")
                .run()
        },
        Migration(version: 5, name: "AI gateway token hashes") { db, _ in
            // Filled for existing keys by `Store.migrate`, which can unseal them; written with every new key.
            try await db.alter(table: "wharf_instances").column("gateway_token_hash", type: .text).run()
            try await db.create(index: "wharf_instances_gateway_token_hash").on("wharf_instances").column("gateway_token_hash").unique().run()
        },
        Migration(version: 6, name: "AI gateway limits and usage") { db, _ in
            // What each instance and feature has reserved and used in each window; shared by every gateway
            // replica, so a limit holds however many there are. The row with window `concurrency` holds no
            // counts: locking it orders the replicas' checks of the leases below.
            try await db.create(table: "wharf_gateway_counters")
                .column("slug", type: .text, .notNull)
                .column("feature", type: .text, .notNull)
                .column("window_kind", type: .text, .notNull)
                .column("window_start_ms", type: .bigint, .notNull)
                .column("requests", type: .bigint, .notNull)
                .column("tokens", type: .bigint, .notNull)
                .primaryKey("slug", "feature", "window_kind", "window_start_ms")
                .run()
            // One row per concurrency slot a replica holds; a replica that dies leaves rows that expire.
            try await db.create(table: "wharf_gateway_leases")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("slug", type: .text, .notNull)
                .column("feature", type: .text, .notNull)
                .column("replica", type: .text, .notNull)
                .column("expires_ms", type: .bigint, .notNull)
                .run()
            try await db.create(index: "wharf_gateway_leases_slot").on("wharf_gateway_leases").column("slug").column("feature").column("expires_ms").run()
            try await db.create(index: "wharf_gateway_leases_replica").on("wharf_gateway_leases").column("replica").run()
            try await db.create(table: "wharf_gateway_usage")
                .column("id", type: .text, .primaryKey(autoIncrement: false))
                .column("at_ms", type: .bigint, .notNull)
                .column("slug", type: .text, .notNull)
                .column("feature", type: .text, .notNull)
                .column("model", type: .text, .notNull)
                .column("api", type: .text, .notNull)
                .column("request_id", type: .text, .notNull)
                .column("status", type: .bigint, .notNull)
                .column("prompt_tokens", type: .bigint, .notNull)
                .column("completion_tokens", type: .bigint, .notNull)
                .column("usage_counted", type: .bigint, .notNull)
                .column("prompt_flagged", type: .bigint, .notNull)
                .column("streamed", type: .bigint, .notNull)
                .column("latency_us", type: .bigint, .notNull)
                .column("overhead_us", type: .bigint, .notNull)
                .run()
            try await db.create(index: "wharf_gateway_usage_at").on("wharf_gateway_usage").column("at_ms").run()
            try await db.create(index: "wharf_gateway_usage_slug").on("wharf_gateway_usage").column("slug").column("at_ms").run()
        },
        Migration(version: 7, name: "AI gateway quota blocks") { db, _ in
            // What each replica holds of each window's counts, taken ahead in a block and not yet given to a
            // request: the counter's requests and tokens include it, so what is used is the counter less the
            // spares. `generation` changes with every block, so a late write about an old block is ignored;
            // a replica that dies stops renewing `expires_ms`, and its spare goes back to the counter.
            try await db.create(table: "wharf_gateway_spares")
                .column("replica", type: .text, .notNull)
                .column("slug", type: .text, .notNull)
                .column("feature", type: .text, .notNull)
                .column("window_kind", type: .text, .notNull)
                .column("window_start_ms", type: .bigint, .notNull)
                .column("generation", type: .bigint, .notNull)
                .column("requests", type: .bigint, .notNull)
                .column("tokens", type: .bigint, .notNull)
                .column("expires_ms", type: .bigint, .notNull)
                .primaryKey("slug", "feature", "window_kind", "window_start_ms", "replica")
                .run()
            try await db.create(index: "wharf_gateway_spares_replica").on("wharf_gateway_spares").column("replica").run()
        },
        Migration(version: 8, name: "AI gateway provider keys") { db, kind in
            let bytes: SQLDataType = kind == .postgres ? .custom(SQLRaw("BYTEA")) : .blob
            // The vendor's provider keys, sealed with the master key; `doc` is what may be shown.
            try await db.create(table: "wharf_gateway_providers")
                .column("api", type: .text, .primaryKey(autoIncrement: false))
                .column("doc", type: .text, .notNull)
                .column("key_sealed", type: bytes, .notNull)
                .run()
        },
    ]
}

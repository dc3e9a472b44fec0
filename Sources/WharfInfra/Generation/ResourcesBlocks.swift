import WharfCore

/// The stateful resources of the `cloudrun` stack: Cloud SQL PostgreSQL, Memorystore Redis and a BigQuery
/// dataset, each private, encrypted in transit, reachable by the workload alone, and protected from
/// deletion unless the spec says `allowDestroys`. Each adds the variables the service reads to `env`.
enum ResourcesBlocks {
    static func add(to module: inout TerraformModule, env: inout [String: JSONValue], _ context: StackContext) {
        let resources = context.environment.resources
        if let postgreSQL = resources.postgreSQL { addPostgreSQL(postgreSQL, to: &module, env: &env, context) }
        if let redis = resources.redis { addRedis(redis, to: &module, env: &env, context) }
        if let dataset = resources.bigQueryDataset { addBigQuery(dataset, to: &module, env: &env, context) }
    }

    /// PostgreSQL 18 on a private IP only, TLS required, IAM login for the workload (no password exists),
    /// point-in-time recovery and 90 retained backups, and the logging flags audits ask for.
    private static func addPostgreSQL(_ postgreSQL: PostgreSQLResource, to module: inout TerraformModule, env: inout [String: JSONValue], _ context: StackContext) {
        let protected = !context.environment.allowDestroys
        module.resource("google_sql_database_instance", "postgresql", CloudSQLBlock.instance(CloudSQLBlock.Settings(
            name: context.service, region: context.region, tier: "db-custom-\(postgreSQL.cpu)-\(postgreSQL.memoryGB * 1024)",
            highAvailability: postgreSQL.highAvailability, maxConnections: postgreSQL.maxConnections, protected: .bool(protected)
        )))
        for database in postgreSQL.databases {
            module.resource("google_sql_database", database, [
                "project": "${local.project_id}",
                "instance": "${google_sql_database_instance.postgresql.name}",
                "name": .string(database),
                "deletion_policy": protected ? "ABANDON" : "DELETE",
            ])
        }
        // Cloud SQL names an IAM service-account user by its email without `.gserviceaccount.com`.
        module.locals["database_user"] = "${trimsuffix(local.service_account_email, \".gserviceaccount.com\")}"
        module.resource("google_sql_user", "workload", [
            "project": "${local.project_id}",
            "instance": "${google_sql_database_instance.postgresql.name}",
            "name": "${local.database_user}",
            "type": "CLOUD_IAM_SERVICE_ACCOUNT",
        ])
        let address = "${google_sql_database_instance.postgresql.private_ip_address}"
        env["DATABASE_URL"] = .string("postgres://${urlencode(local.database_user)}@\(address):5432/\(postgreSQL.databases[0])?sslmode=require")
        env["PGHOST"] = .string(address)
        env["PGUSER"] = "${local.database_user}"
        env["PGDATABASE"] = .string(postgreSQL.databases[0])
        env["PGSSLMODE"] = "require"
        module.output("postgresql_instance", "${google_sql_database_instance.postgresql.name}", "The Cloud SQL instance.")
        module.output("postgresql_connection_name", "${google_sql_database_instance.postgresql.connection_name}", "For the Cloud SQL Auth Proxy: project:region:instance.")
        module.output("postgresql_private_ip", address, "The instance's private address.")
    }

    /// Redis 7.2 with AUTH and TLS on private service access; the AUTH string goes to a secret only the
    /// workload reads.
    private static func addRedis(_ redis: RedisResource, to module: inout TerraformModule, env: inout [String: JSONValue], _ context: StackContext) {
        module.resource("google_redis_instance", "redis", [
            "project": "${local.project_id}",
            "name": .string(context.service),
            "region": .string(context.region),
            "tier": redis.highAvailability ? "STANDARD_HA" : "BASIC",
            "memory_size_gb": JSONValue(redis.memoryGB),
            "redis_version": "REDIS_7_2",
            "authorized_network": "${local.network_id}",
            "connect_mode": "PRIVATE_SERVICE_ACCESS",
            "auth_enabled": true,
            "transit_encryption_mode": "SERVER_AUTHENTICATION",
        ])
        module.resource("google_secret_manager_secret", "redis_auth", [
            "project": "${local.project_id}", "secret_id": "redis-auth", "replication": ["auto": [:]],
        ])
        module.resource("google_secret_manager_secret_version", "redis_auth", [
            "secret": "${google_secret_manager_secret.redis_auth.id}",
            "secret_data": "${google_redis_instance.redis.auth_string}",
        ])
        module.resource("google_secret_manager_secret_iam_member", "redis_auth_workload", [
            "project": "${local.project_id}",
            "secret_id": "${google_secret_manager_secret.redis_auth.secret_id}",
            "role": "roles/secretmanager.secretAccessor",
            "member": "serviceAccount:${local.service_account_email}",
        ])
        env["REDIS_URL"] = "rediss://${google_redis_instance.redis.host}:${google_redis_instance.redis.port}"
        env["REDIS_AUTH"] = ["value_source": ["secret_key_ref": ["secret": "${google_secret_manager_secret.redis_auth.secret_id}", "version": "latest"]]]
        env["REDIS_CA_CERT"] = "${google_redis_instance.redis.server_ca_certs[0].cert}"
        module.output("redis_instance", "${google_redis_instance.redis.name}", "The Memorystore instance.")
    }

    private static func addBigQuery(_ dataset: BigQueryDataset, to module: inout TerraformModule, env: inout [String: JSONValue], _ context: StackContext) {
        let protected = !context.environment.allowDestroys
        let datasetID = context.service.snakeCased
        module.resource("google_bigquery_dataset", "dataset", [
            "project": "${local.project_id}",
            "dataset_id": .string(datasetID),
            "location": .string(context.region),
            "delete_contents_on_destroy": .bool(!protected),
        ])
        for table in dataset.tables {
            module.resource("google_bigquery_table", "table_\(table.snakeCased)", [
                "project": "${local.project_id}",
                "dataset_id": "${google_bigquery_dataset.dataset.dataset_id}",
                "table_id": .string(table),
                "deletion_protection": .bool(protected),
            ])
        }
        module.resource("google_bigquery_dataset_iam_member", "workload", [
            "project": "${local.project_id}",
            "dataset_id": "${google_bigquery_dataset.dataset.dataset_id}",
            "role": "roles/bigquery.dataEditor",
            "member": "serviceAccount:${local.service_account_email}",
        ])
        env["BIGQUERY_PROJECT"] = "${local.project_id}"
        env["BIGQUERY_DATASET"] = .string(datasetID)
        module.output("bigquery_dataset", "${google_bigquery_dataset.dataset.dataset_id}", "The BigQuery dataset.")
    }
}

import WharfCore

/// A Cloud SQL PostgreSQL 18 instance as every Wharf stack has it: private IP only, TLS required, IAM
/// login, point-in-time recovery, retained backups, deletion protection, and the logging flags audits ask
/// for. Service environments and dedicated instances differ only in `Settings`.
enum CloudSQLBlock {
    struct Settings {
        var name: String
        var region: String
        var tier: String
        var highAvailability: Bool
        var maxConnections: Int
        /// `true`, or an expression, so an instance's module can lift protection just before it is destroyed.
        var protected: JSONValue
        var retainedBackups = 90
        /// 1 (Monday) to 7, and the hour (UTC) maintenance may start.
        var maintenanceDay = 7
        var maintenanceHour = 4
        var network = "${local.network_id}"
        /// `ALWAYS`, or an expression that stops the database while its owner is suspended.
        var activationPolicy: JSONValue = "ALWAYS"
    }

    static func instance(_ settings: Settings) -> JSONValue {
        let flags: [(String, String)] = [
            ("cloudsql.iam_authentication", "on"), ("max_connections", "\(settings.maxConnections)"),
            ("log_checkpoints", "on"), ("log_connections", "on"), ("log_disconnections", "on"), ("log_lock_waits", "on"),
            ("log_min_messages", "error"), ("log_min_error_statement", "error"), ("log_temp_files", "0"), ("log_min_duration_statement", "-1"),
            ("log_hostname", "on"), ("log_duration", "on"), ("log_statement", "ddl"), ("cloudsql.enable_pgaudit", "on"), ("pgaudit.log", "ddl,role"),
        ]
        return [
            "project": "${local.project_id}",
            "name": .string(settings.name),
            "region": .string(settings.region),
            "database_version": "POSTGRES_18",
            "deletion_protection": settings.protected,
            "settings": [
                "tier": .string(settings.tier),
                "activation_policy": settings.activationPolicy,
                "edition": "ENTERPRISE",
                "availability_type": settings.highAvailability ? "REGIONAL" : "ZONAL",
                "deletion_protection_enabled": settings.protected,
                "disk_type": "PD_SSD",
                "disk_autoresize": true,
                "ip_configuration": [
                    "ipv4_enabled": false,
                    "private_network": .string(settings.network),
                    "ssl_mode": "ENCRYPTED_ONLY",
                    "enable_private_path_for_google_cloud_services": true,
                ],
                "backup_configuration": [
                    "enabled": true,
                    "point_in_time_recovery_enabled": true,
                    "start_time": "03:00",
                    "transaction_log_retention_days": 7,
                    "backup_retention_settings": ["retained_backups": JSONValue(settings.retainedBackups), "retention_unit": "COUNT"],
                ],
                "maintenance_window": ["day": JSONValue(settings.maintenanceDay), "hour": JSONValue(settings.maintenanceHour), "update_track": "stable"],
                "insights_config": ["query_insights_enabled": true, "record_client_address": false],
                "database_flags": .array(flags.map { ["name": .string($0.0), "value": .string($0.1)] }),
            ],
        ]
    }
}

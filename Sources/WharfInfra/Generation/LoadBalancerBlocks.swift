import WharfCore

/// The way in for a service with a domain: a global HTTPS load balancer with a Certificate Manager
/// certificate (DNS-authorised, so it works behind the CDN's proxy), a Cloud Armor policy, Identity-Aware
/// Proxy where the category or spec asks, and the Cloudflare DNS records.
enum LoadBalancerBlocks {
    /// Cloudflare's published address ranges (cloudflare.com/ips), the only sources an `external`
    /// environment admits. Cloud Armor takes at most 10 ranges per rule.
    static let cdnRanges = [
        "173.245.48.0/20", "103.21.244.0/22", "103.22.200.0/22", "103.31.4.0/22", "141.101.64.0/18", "108.162.192.0/18",
        "190.93.240.0/20", "188.114.96.0/20", "197.234.240.0/22", "198.41.128.0/17", "162.158.0.0/15", "104.16.0.0/13",
        "104.24.0.0/14", "172.64.0.0/13", "131.0.72.0/22",
        "2400:cb00::/32", "2606:4700::/32", "2803:f800::/32", "2405:b500::/32", "2405:8100::/32", "2a06:98c0::/29", "2c0f:f248::/32",
    ]

    static func add(to module: inout TerraformModule, _ context: StackContext) {
        guard let domain = context.environment.domain else { return }
        let policy = context.policy
        let service = context.service
        module.provider(.cloudflare)
        module.variable("cloudflare_zone_id", type: "string", "The Cloudflare zone that holds \(domain).")
        let project: JSONValue = "${local.project_id}"

        module.resource("google_compute_region_network_endpoint_group", "service", [
            "project": project, "name": .string(service), "region": .string(context.region),
            "network_endpoint_type": "SERVERLESS",
            "cloud_run": ["service": "${google_cloud_run_v2_service.service.name}"],
        ])
        module.resource("google_compute_security_policy", "service", securityPolicy(context))
        var backend: [String: JSONValue] = [
            "project": project, "name": .string(service),
            "load_balancing_scheme": "EXTERNAL_MANAGED",
            "protocol": "HTTPS",
            "backend": ["group": "${google_compute_region_network_endpoint_group.service.id}"],
            "security_policy": "${google_compute_security_policy.service.id}",
            "log_config": ["enable": true, "sample_rate": 1],
        ]
        if policy.identityAwareProxy {
            backend["iap"] = ["enabled": true]
            module.variable("iap_members", type: "list(string)", "Who may sign in through Identity-Aware Proxy, as IAM members (group:employees@example.com).")
            module.resource("google_iap_web_backend_service_iam_member", "members", [
                "for_each": "${toset(var.iap_members)}",
                "project": project,
                "web_backend_service": "${google_compute_backend_service.service.name}",
                "role": "roles/iap.httpsResourceAccessor",
                "member": "${each.value}",
            ])
            // IAP calls the service as its own service agent, which needs to be an invoker.
            module.resource("google_cloud_run_v2_service_iam_member", "iap_invoker", [
                "project": project, "location": .string(context.region), "name": "${google_cloud_run_v2_service.service.name}",
                "role": "roles/run.invoker",
                "member": "serviceAccount:service-${data.terraform_remote_state.project.outputs.project_number}@gcp-sa-iap.iam.gserviceaccount.com",
            ])
        }
        module.resource("google_compute_backend_service", "service", .object(backend))
        module.resource("google_compute_url_map", "service", ["project": project, "name": .string(service), "default_service": "${google_compute_backend_service.service.id}"])

        module.resource("google_certificate_manager_dns_authorization", "domain", ["project": project, "name": .string(service), "domain": .string(domain)])
        module.resource("google_certificate_manager_certificate", "domain", [
            "project": project, "name": .string(service),
            "managed": ["domains": [.string(domain)], "dns_authorizations": ["${google_certificate_manager_dns_authorization.domain.id}"]],
        ])
        module.resource("google_certificate_manager_certificate_map", "domain", ["project": project, "name": .string(service)])
        module.resource("google_certificate_manager_certificate_map_entry", "domain", [
            "project": project, "name": .string(service),
            "map": "${google_certificate_manager_certificate_map.domain.name}",
            "certificates": ["${google_certificate_manager_certificate.domain.id}"],
            "hostname": .string(domain),
        ])
        module.resource("google_compute_ssl_policy", "modern", ["project": project, "name": .string("\(service)-modern"), "profile": "MODERN", "min_tls_version": "TLS_1_2"])
        module.resource("google_compute_target_https_proxy", "service", [
            "project": project, "name": .string(service),
            "url_map": "${google_compute_url_map.service.id}",
            "certificate_map": "//certificatemanager.googleapis.com/${google_certificate_manager_certificate_map.domain.id}",
            "ssl_policy": "${google_compute_ssl_policy.modern.id}",
        ])
        module.resource("google_compute_global_address", "service", ["project": project, "name": .string(service)])
        module.resource("google_compute_global_forwarding_rule", "service", [
            "project": project, "name": .string(service),
            "load_balancing_scheme": "EXTERNAL_MANAGED",
            "ip_address": "${google_compute_global_address.service.address}",
            "port_range": "443",
            "target": "${google_compute_target_https_proxy.service.id}",
        ])

        module.resource("cloudflare_dns_record", "service", [
            "zone_id": "${var.cloudflare_zone_id}", "name": .string(domain), "type": "A",
            "content": "${google_compute_global_address.service.address}",
            "proxied": .bool(policy.proxiedDNS), "ttl": 1,
            "comment": .string("Wharf: \(context.qualifiedID)"),
        ])
        module.resource("cloudflare_dns_record", "certificate_authorization", [
            "zone_id": "${var.cloudflare_zone_id}",
            "name": "${google_certificate_manager_dns_authorization.domain.dns_resource_record[0].name}",
            "type": "${google_certificate_manager_dns_authorization.domain.dns_resource_record[0].type}",
            "content": "${google_certificate_manager_dns_authorization.domain.dns_resource_record[0].data}",
            "proxied": false, "ttl": 300,
            "comment": .string("Wharf: certificate authorisation for \(domain)"),
        ])
        module.output("address", "${google_compute_global_address.service.address}", "The load balancer's address, which the DNS record points to.")
        module.output("url", "https://\(domain)", "Where the service answers.")
    }

    /// Deny Log4Shell probes first; for `external`, then admit only the CDN's ranges and refuse the rest.
    static func securityPolicy(_ context: StackContext) -> JSONValue {
        var rules: [JSONValue] = [[
            "action": "deny(403)", "priority": 900, "description": "Log4Shell (CVE-2021-44228) probes",
            "match": ["expr": ["expression": "evaluatePreconfiguredExpr('cve-canary')"]],
        ]]
        if context.policy.cdnOnly {
            for (index, start) in stride(from: 0, to: cdnRanges.count, by: 10).enumerated() {
                rules.append([
                    "action": "allow", "priority": JSONValue(1000 + index), "description": "The CDN's address ranges",
                    "match": ["versioned_expr": "SRC_IPS_V1", "config": ["src_ip_ranges": .array(cdnRanges[start..<min(start + 10, cdnRanges.count)].map { .string($0) })]],
                ])
            }
        }
        rules.append([
            "action": context.policy.cdnOnly ? "deny(403)" : "allow", "priority": 2_147_483_647,
            "description": context.policy.cdnOnly ? "Everything not from the CDN" : "Everyone else",
            "match": ["versioned_expr": "SRC_IPS_V1", "config": ["src_ip_ranges": ["*"]]],
        ])
        return [
            "project": "${local.project_id}", "name": .string(context.service),
            "description": .string("\(context.qualifiedID) (\(context.environment.category.rawValue))"),
            "rule": .array(rules),
        ]
    }
}

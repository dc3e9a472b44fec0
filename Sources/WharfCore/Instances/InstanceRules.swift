import Foundation

/// The free-form members shared by creation and update, which need parsing and normalising.
struct InstanceChanges {
    var productVersion: String?
    var customDomains: [String]?
    var ingressAllowlist: [String]?
    var licenceKey: String?
    var adminEmail: String?
    var trialExpiresAt: Date?
}

/// Field and cross-field rules for an instance, shared by `InstanceDraft` and `InstancePatch` so creation
/// and update can never disagree.
enum InstanceRules {
    static let maxAllowlistEntries = 200
    static let maxCustomDomains = 20

    /// Parses `changes` into `instance`, records problems in `v`, then checks the whole record. Returns the
    /// new licence key when one was given and valid.
    static func apply(_ changes: InstanceChanges, to instance: inout Instance, now: Date, into v: inout Validator) -> String? {
        if let version = changes.productVersion {
            instance.productVersion = v.check("productVersion") { () throws(FieldProblem) in try ProductVersion.parse(version) } ?? version
        }
        if let email = changes.adminEmail {
            instance.adminEmail = v.check("adminEmail") { () throws(FieldProblem) in try EmailAddress.parse(email) } ?? email
        }
        if let list = changes.ingressAllowlist {
            instance.ingressAllowlist = normalisedCIDRs(list, into: &v)
        }
        if let domains = changes.customDomains {
            instance.customDomains = normalisedDomains(domains, keeping: instance.customDomains, defaultDomain: instance.defaultDomain, into: &v)
        }
        var key: String?
        if let licence = changes.licenceKey {
            key = v.check("licenceKey") { () throws(FieldProblem) in try LicenceKey.parse(licence) }
            if let key { instance.licenceKeyFingerprint = LicenceKey.fingerprint(key) }
        }
        if let expiry = changes.trialExpiresAt, expiry <= now {
            v.add("trialExpiresAt", "in_past", "must be in the future (now is \(WharfJSON.timestamp(now)))")
        }
        checkWhole(instance, into: &v)
        return key
    }

    /// Rules between members: plan limits and trial expiry.
    static func checkWhole(_ instance: Instance, into v: inout Validator) {
        let limit = instance.plan.maxExecutors
        if !(1...limit).contains(instance.executors) {
            v.add("executors", "out_of_range", "the \(instance.plan.rawValue) plan allows 1 to \(limit) executors, got \(instance.executors)")
        }
        if instance.type == .trial, instance.trialExpiresAt == nil {
            v.add("trialExpiresAt", "required", "a trial instance needs an expiry date")
        }
        if instance.type != .trial, instance.trialExpiresAt != nil {
            v.add("trialExpiresAt", "not_allowed", "only trial instances expire; this one is \(instance.type.rawValue)")
        }
        instance.maintenanceWindow.validate("maintenanceWindow", into: &v)
        instance.backupPolicy.validate("backupPolicy", into: &v)
    }

    static func normalisedCIDRs(_ list: [String], at field: String = "ingressAllowlist", into v: inout Validator) -> [String] {
        if list.count > maxAllowlistEntries {
            v.add(field, "too_many", "at most \(maxAllowlistEntries) entries, got \(list.count)")
        }
        var seen: [String: Int] = [:]
        var result: [String] = []
        for (index, entry) in list.enumerated() {
            let path = "\(field)[\(index)]"
            guard let cidr = v.check(path, { () throws(FieldProblem) in try CIDR.parse(entry) }) else { continue }
            if let first = seen[cidr] {
                v.add(path, "duplicate", "'\(entry)' is the same network as \(field)[\(first)] (\(cidr))")
                continue
            }
            seen[cidr] = index
            result.append(cidr)
        }
        return result
    }

    static func normalisedDomains(_ list: [String], keeping existing: [CustomDomain], defaultDomain: String, into v: inout Validator) -> [CustomDomain] {
        if list.count > maxCustomDomains {
            v.add("customDomains", "too_many", "at most \(maxCustomDomains) custom domains, got \(list.count)")
        }
        var result: [CustomDomain] = []
        for (index, entry) in list.enumerated() {
            let path = "customDomains[\(index)]"
            guard let domain = v.check(path, { () throws(FieldProblem) in try DomainName.parse(entry) }) else { continue }
            if domain == defaultDomain {
                v.add(path, "is_default_domain", "'\(domain)' is the instance's default domain already")
            } else if result.contains(where: { $0.domain == domain }) {
                v.add(path, "duplicate", "'\(domain)' is listed twice")
            } else {
                result.append(existing.first { $0.domain == domain } ?? CustomDomain(domain: domain))
            }
        }
        return result
    }
}

/// Formats a coding path the way field errors name fields: `maintenanceWindow.startHour`, `ingressAllowlist[2]`.
public enum FieldPath {
    public static func format(_ keys: [any CodingKey]) -> String {
        keys.reduce(into: "") { result, key in
            if let index = key.intValue {
                result += "[\(index)]"
            } else {
                result += result.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
    }
}

/// A fully qualified domain name, normalised to lowercase without a trailing dot.
public enum DomainName {
    public static func parse(_ text: String) throws(FieldProblem) -> String {
        var name = text.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        guard !name.isEmpty, name.utf8.count <= 253 else {
            throw FieldProblem("invalid_domain", "must be a domain name of 1 to 253 characters (got '\(text)')")
        }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else {
            throw FieldProblem("invalid_domain", "must have at least two labels, like 'example.com' (got '\(text)')")
        }
        for label in labels {
            guard (1...63).contains(label.utf8.count),
                label.utf8.allSatisfy({ Slug.isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }),
                label.first != "-", label.last != "-"
            else {
                throw FieldProblem(
                    "invalid_domain",
                    "label '\(label)' must be 1 to 63 letters, digits or inner hyphens (got '\(text)')"
                )
            }
        }
        guard labels.last!.contains(where: { !$0.isNumber }) else {
            throw FieldProblem("invalid_domain", "the top-level label must not be numeric (got '\(text)')")
        }
        return name
    }
}

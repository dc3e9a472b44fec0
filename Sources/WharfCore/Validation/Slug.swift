/// A DNS label that names an instance or a customer: 3–30 characters of `[a-z0-9-]`, no leading or trailing
/// hyphen. It becomes part of the instance's hostname, so it is checked strictly and never changes.
public enum Slug {
    public static let lengthRange = 3...30

    public static func parse(_ text: String) throws(FieldProblem) -> String {
        guard lengthRange.contains(text.count) else {
            throw FieldProblem("invalid_length", "must be 3 to 30 characters, got \(text.count)")
        }
        guard text.utf8.allSatisfy({ isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }) else {
            throw FieldProblem("invalid_characters", "may contain only lowercase letters a-z, digits and '-' (got '\(text)')")
        }
        guard text.first != "-", text.last != "-" else {
            throw FieldProblem("invalid_hyphen", "must not start or end with '-' (got '\(text)')")
        }
        return text
    }

    static func isLowerAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}

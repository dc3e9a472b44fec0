/// An e-mail address: a non-empty local part of at most 64 characters and a valid domain. The domain is
/// lowercased; the local part is kept as written because mail servers may treat case as significant.
public enum EmailAddress {
    public static func parse(_ text: String) throws(FieldProblem) -> String {
        guard text.utf8.count <= 254 else { throw FieldProblem("invalid_email", "must be at most 254 characters") }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, !local.isEmpty, local.utf8.count <= 64,
            !local.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," })
        else {
            throw FieldProblem("invalid_email", "must be an e-mail address like 'admin@example.com' (got '\(text)')")
        }
        do {
            return "\(local)@\(try DomainName.parse(String(parts[1])))"
        } catch {
            throw FieldProblem("invalid_email", "the domain of '\(text)' is not valid: \(error.message)")
        }
    }
}

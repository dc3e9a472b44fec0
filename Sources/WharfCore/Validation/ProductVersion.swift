/// A product release version: `MAJOR.MINOR.PATCH` with an optional pre-release suffix (`5.2.0-rc.1`).
public enum ProductVersion {
    public static func parse(_ text: String) throws(FieldProblem) -> String {
        let core = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        let numbers = core[0].split(separator: ".", omittingEmptySubsequences: false)
        let numeric = numbers.count == 3 && numbers.allSatisfy { !$0.isEmpty && $0.count <= 9 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
        let suffixOK = core.count == 1
            || (!core[1].isEmpty && core[1].count <= 40 && core[1].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") })
        guard numeric, suffixOK else {
            throw FieldProblem("invalid_version", "must be a version like '5.2.0' or '5.2.0-rc.1' (got '\(text)')")
        }
        return text
    }
}

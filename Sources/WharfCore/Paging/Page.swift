/// One page of a list. `nextCursor` is opaque; pass it back as `cursor` to get the next page, and it is
/// absent on the last page.
public struct Page<Item: Codable & Sendable>: Codable, Sendable {
    public var items: [Item]
    public var nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

/// Opaque cursors: the sort key of the last item, base64url-encoded, so clients cannot build or rely on them.
public enum Cursor {
    public static func encode(_ key: String) -> String { Base64URL.encode(Array(key.utf8)) }

    public static func decode(_ cursor: String) throws(FieldProblem) -> String {
        guard let bytes = Base64URL.decode(cursor), let key = String(validating: bytes, as: UTF8.self), !key.isEmpty else {
            throw FieldProblem("invalid_cursor", "is not a cursor this server issued; pass nextCursor from the previous page")
        }
        return key
    }
}

/// Where a lifecycle request stands. `done`, `failed`, `rejected` and `cancelled` are final.
public enum RequestState: String, WireEnum {
    case submitted, approved, inProgress = "in_progress", done, failed, rejected, cancelled

    public var isOpen: Bool { [.submitted, .approved, .inProgress].contains(self) }
}

/// What can happen to a request.
public enum RequestEvent: String, WireEnum {
    case approve, reject, start, complete, fail, cancel
}

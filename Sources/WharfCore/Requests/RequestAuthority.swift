/// Who may submit, decide and cancel which requests (SPEC §1, §12). Pure, so the API and the store
/// cannot disagree and every rule is tested without a server.
public enum RequestAuthority {
    /// Requesters submit self-service and manual kinds; the automatic kinds are raised by Wharf itself or
    /// by an operator.
    public static func checkSubmit(_ kind: RequestKind, by actor: Actor) throws(WharfError) {
        let needed: Permission = kind.policy.mode == .automatic ? .manageRegistry : .requestInstances
        guard actor.role.allows(needed) else {
            throw WharfError(.forbidden, "a \(actor.role.rawValue) may not submit \(kind.rawValue) requests; it needs the \(needed.rawValue) permission")
        }
    }

    /// Manual requests are approved or rejected by an operator or an admin; suspending or tearing down a
    /// production instance needs an admin.
    public static func checkDecide(_ kind: RequestKind, instance: Instance?, by actor: Actor) throws(WharfError) {
        guard actor.role.allows(.manageRegistry) else {
            throw WharfError(.forbidden, "a \(actor.role.rawValue) may not approve or reject requests; an operator or admin must")
        }
        if [.suspend, .tearDown].contains(kind), instance?.type == .production, actor.role != .admin {
            throw WharfError(.forbidden, "\(kind.rawValue) of the production instance '\(instance!.slug)' needs an admin's approval")
        }
    }

    /// The submitter may cancel their own request; operators and admins may cancel any.
    public static func checkCancel(_ request: LifecycleRequest, by actor: Actor) throws(WharfError) {
        guard actor.role.allows(.manageRegistry) || request.submittedBy == actor.auditName else {
            throw WharfError(.forbidden, "only whoever submitted the request, an operator or an admin may cancel it")
        }
    }
}

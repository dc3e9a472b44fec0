/// Where an instance is in its life (SPEC §1).
public enum InstanceState: String, WireEnum {
    case requested, provisioning, active, suspended
    case tearingDown = "tearing_down"
    case deleted, failed
}

/// What can happen to an instance. Some events come from the reconciler (`provisioned`, `tornDown`),
/// others from operators; the state machine is the same for both.
public enum LifecycleEvent: String, WireEnum {
    case startProvisioning = "start_provisioning"
    case provisioned
    case suspend
    case resume
    case tearDown = "tear_down"
    case tornDown = "torn_down"
    case fail
    case retry
}

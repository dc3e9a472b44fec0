/// One alert an environment gets, described once for both the monitoring stack and the operations docs.
struct AlertDefinition: Sendable, Equatable {
    enum Condition: Sendable, Equatable {
        /// A Cloud Monitoring metric filter, aligned per series, compared with a threshold.
        case threshold(filter: String, aligner: String, above: Bool, value: Double)
        /// A PromQL expression that is true while the alert should fire.
        case promQL(String)
        /// The uptime check failing from more than one location.
        case uptime(check: String)
    }

    var id: String
    var title: String
    /// What it means when it fires.
    var meaning: String
    /// What to look at first.
    var firstSteps: String
    var condition: Condition
    var durationMinutes: Int
    /// Critical alerts page (where the category pages); warnings only notify.
    var critical: Bool
}

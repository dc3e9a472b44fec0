import ArgumentParser
import WharfCore
import WharfServer

// Wharf's closed value sets parse straight from the command line.
extension Plan: ExpressibleByArgument {}
extension InstanceState: ExpressibleByArgument {}
extension ReleaseChannel: ExpressibleByArgument {}
extension InstanceType: ExpressibleByArgument {}
extension DeploymentEnvironment: ExpressibleByArgument {}
extension LifecycleEvent: ExpressibleByArgument {}
extension Role: ExpressibleByArgument {}
extension RequestKind: ExpressibleByArgument {}
extension RequestState: ExpressibleByArgument {}
extension ServerConfiguration.ProviderKind: ExpressibleByArgument {}

extension SLADuration: ExpressibleByArgument {
    public init?(argument: String) {
        guard let value = try? SLADuration.parse(argument) else { return nil }
        self = value
    }
}
extension RequestEventKind: ExpressibleByArgument {}

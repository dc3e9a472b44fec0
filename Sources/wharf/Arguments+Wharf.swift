import ArgumentParser
import WharfCore

// Wharf's closed value sets parse straight from the command line.
extension Plan: ExpressibleByArgument {}
extension InstanceState: ExpressibleByArgument {}
extension ReleaseChannel: ExpressibleByArgument {}
extension InstanceType: ExpressibleByArgument {}
extension DeploymentEnvironment: ExpressibleByArgument {}
extension LifecycleEvent: ExpressibleByArgument {}
extension Role: ExpressibleByArgument {}

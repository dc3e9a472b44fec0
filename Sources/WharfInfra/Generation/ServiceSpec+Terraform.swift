extension ServiceSpec {
    /// Terraform JSON for every environment: `<service>/<environment>/<stack>/*.tf.json`, for the stacks
    /// `project`, `iam`, `cloudrun` and `monitoring`, applied in that order. Pure: the same spec gives the
    /// same files, byte for byte.
    public func terraform() -> [GeneratedFile] {
        var files: [GeneratedFile] = []
        for environment in environments {
            let context = StackContext(spec: self, environment: environment)
            let modules = [
                ("project", ProjectStack.module(context)), ("iam", IAMStack.module(context)),
                ("cloudrun", CloudRunStack.module(context)), ("monitoring", MonitoringStack.module(context)),
            ]
            for (stack, module) in modules {
                for (name, contents) in module.files.sorted(by: { $0.key < $1.key }) {
                    files.append(GeneratedFile(path: "\(service.id)/\(environment.id)/\(stack)/\(name)", contents: contents))
                }
            }
        }
        return files
    }
}

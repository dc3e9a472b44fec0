import WharfRuntime

await Runtime.run(SampleService.self)

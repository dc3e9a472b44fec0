import ArgumentParser

/// The `wharf` command: `serve` runs the control plane; the other commands talk to it over the API.
@main
struct Wharf: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wharf",
        abstract: "Run and operate a fleet of dedicated, managed instances.",
        discussion: """
            Commands other than serve talk to a running server: set WHARF_URL and WHARF_TOKEN (or pass --url and --token).
            Exit codes: 0 ok, 1 server or unexpected error, 3 invalid input, 4 not authorised, 5 not found,
            6 conflict, 7 server unreachable, 8 audit chain broken, 64 bad command line.
            """,
        subcommands: [Serve.self, DemoProductCommand.self, InstanceCommand.self, RequestCommand.self, WebhookCommand.self, CustomerCommand.self, TokenCommand.self, AuditCommand.self, MSPCommand.self, GatewayCommand.self]
    )
}

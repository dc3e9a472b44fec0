import ArgumentParser
import Testing

@testable import wharf

/// Every command of the CLI, built the way ArgumentParser builds one when it runs: a clash such as two
/// options of one name stops the process then (in debug builds, so here too) instead of waiting for a user
/// to run that command.
@Suite("CLI command tree")
struct CommandTreeTests {
    static func commands(_ root: any ParsableCommand.Type) -> [any ParsableCommand.Type] {
        [root] + root.configuration.subcommands.flatMap { commands($0) }
    }

    @Test("every command builds its help, naming how it is used")
    func everyCommand() {
        let all = Self.commands(Wharf.self)
        #expect(all.contains { $0 == InstanceCommand.VerifyDomain.self })
        for command in all {
            let help = Wharf.helpMessage(for: command, columns: 100)
            #expect(help.contains("USAGE: wharf"), "\(command)")
        }
    }

    @Test("verify-domain takes the token as its third argument")
    func verifyDomain() throws {
        let command = try #require(try Wharf.parseAsRoot(["instance", "verify-domain", "acme", "shop.acme.example", "f2c6"]) as? InstanceCommand.VerifyDomain)
        #expect(command.slug == "acme" && command.domain == "shop.acme.example" && command.verificationToken == "f2c6")
    }
}

import ArgumentParser
import WharfClient
import WharfCore

extension InstanceCommand {
    struct VerifyDomain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify-domain",
            abstract: "Prove ownership of a custom domain by echoing its verification token.",
            discussion: """
                The token is shown by `wharf instance show`. In production the same token goes into a DNS TXT record; \
                on the local provider echoing it back stands in for that. Once verified, the edge routes the domain.
                """
        )
        @OptionGroup var options: ClientOptions
        @Argument var slug: String
        @Argument var domain: String
        @Argument(help: "The domain's verification token, from `wharf instance show`.") var verificationToken: String

        func run() async throws {
            try await CommandFailure.exitOnError {
                let instance = try await options.client.verifyDomain(slug, domain: domain, token: verificationToken)
                try options.emit(instance) { InstanceCommand.table(instance) }
            }
        }
    }
}

import ArgumentParser
import WharfClient
import WharfCore

struct CustomerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customer", abstract: "List, show, create and change customers.",
        subcommands: [List.self, Show.self, Create.self, Update.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List all customers.")
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await CommandFailure.exitOnError {
                let customers = try await options.client.allCustomers()
                try options.emit(customers) {
                    Table(header: ["ID", "NAME", "CONTACT"], rows: customers.map { [$0.id, $0.name, $0.contactEmail ?? "-"] })
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one customer.")
        @OptionGroup var options: ClientOptions
        @Argument var id: String

        func run() async throws {
            try await CommandFailure.exitOnError {
                let customer = try await options.client.customer(id)
                try options.emit(customer) { CustomerCommand.table(customer) }
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a customer.")
        @OptionGroup var options: ClientOptions
        @Option(help: "Short handle: 3–30 of a-z, 0-9, '-'.") var id: String
        @Option var name: String
        @Option(name: .customLong("contact-email")) var contactEmail: String?
        @Option(name: .customLong("idempotency-key")) var idempotencyKey: String?

        func run() async throws {
            try await CommandFailure.exitOnError {
                let customer = try await options.client.createCustomer(CustomerDraft(id: id, name: name, contactEmail: contactEmail), idempotencyKey: idempotencyKey)
                try options.emit(customer) { CustomerCommand.table(customer) }
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a customer's name or contact.")
        @OptionGroup var options: ClientOptions
        @Argument var id: String
        @Option var name: String?
        @Option(name: .customLong("contact-email")) var contactEmail: String?

        func run() async throws {
            try await CommandFailure.exitOnError {
                guard name != nil || contactEmail != nil else { throw ValidationError("nothing to change: give --name or --contact-email") }
                let customer = try await options.client.updateCustomer(id, CustomerPatch(name: name, contactEmail: contactEmail))
                try options.emit(customer) { CustomerCommand.table(customer) }
            }
        }
    }

    static func table(_ customer: Customer) -> Table {
        .record([
            ("id", customer.id), ("name", customer.name), ("contact", customer.contactEmail ?? "-"),
            ("created", WharfJSON.timestamp(customer.createdAt)), ("updated", WharfJSON.timestamp(customer.updatedAt)),
        ])
    }
}

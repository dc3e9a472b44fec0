/// A Terraform command that did not succeed: which step, its exit status, and what it said last.
public struct TerraformError: Error, Sendable, CustomStringConvertible {
    public var step: String
    public var status: Int32
    public var message: String

    public var description: String { "terraform \(step) failed (exit \(status)): \(message)" }
}

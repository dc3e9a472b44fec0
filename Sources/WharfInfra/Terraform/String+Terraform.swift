/// Names and text as Terraform needs them.
extension String {
    /// A Terraform block name from an id: `cloudsql.instanceUser` → `cloudsql_instance_user`, `stripe-key`
    /// → `stripe_key`, `STRIPE_KEY` → `stripe_key`.
    var snakeCased: String {
        var name = ""
        var previous: Character?
        for character in self {
            if character == "-" || character == "." {
                name.append("_")
            } else if character.isUppercase {
                if let previous, previous.isLowercase || previous.isNumber { name.append("_") }
                name.append(contentsOf: character.lowercased())
            } else {
                name.append(character)
            }
            previous = character
        }
        return name
    }

    /// Text Terraform must take literally: `${` and `%{` would otherwise start an expression or directive.
    var terraformEscaped: String {
        guard contains("{") else { return self }
        return replacing("${", with: "$${").replacing("%{", with: "%%{")
    }

    /// Without trailing `character`s.
    func trimmingSuffix(_ character: Character) -> String {
        var text = self
        while text.last == character { text.removeLast() }
        return text
    }
}

import Vapor
import Fluent
import Domain

/// `wijkwerk user create --email … --role admin [--name …] [--password …] [--municipality GM0828] [--area slug …]`
struct UserCommands: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] { ["create": UserCreateCommand()] }
    var help: String { "Manage staff accounts" }
}

struct UserCreateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email", help: "E-mail address (the login name)") var email: String?
        @Option(name: "role", help: "One of: \(Role.allCases.map(\.rawValue).joined(separator: ", "))") var role: String?
        @Option(name: "name", help: "Full name") var name: String?
        @Option(name: "password", help: "Password (at least 12 characters); generated and printed when left out") var password: String?
        @Option(name: "municipality", help: "CBS code of the municipality (GM0828); leave out for an installation-wide admin") var municipality: String?
        @Option(name: "areas", help: "Comma-separated area slugs, for area roles") var areas: String?
        @Option(name: "department", help: "Department name, for department roles") var department: String?
    }

    var help: String { "Create a staff account, e.g. the first admin" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let email = signature.email, let role = signature.role else {
            context.console.error("Give at least --email and --role.")
            throw ExitCode(2)
        }
        var municipalityID: UUID? = nil
        var areaIDs: [UUID] = []
        var departmentID: UUID? = nil
        if let code = signature.municipality {
            guard let m = try await Municipality.query(on: app.db).filter(\.$code == code.uppercased()).first() else {
                context.console.error("Unknown municipality \(code).")
                throw ExitCode(2)
            }
            municipalityID = try m.requireID()
            for slug in (signature.areas ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !slug.isEmpty {
                guard let area = try await Area.query(on: app.db).filter(\.$municipality.$id == m.requireID()).filter(\.$slug == slug).first() else {
                    context.console.error("Unknown area \(slug) in \(m.name).")
                    throw ExitCode(2)
                }
                areaIDs.append(try area.requireID())
            }
            if let name = signature.department {
                departmentID = try await Department.query(on: app.db).filter(\.$municipality.$id == m.requireID()).filter(\.$name == name).first()?.requireID()
            }
        }
        let generated = signature.password == nil
        let password = signature.password ?? Self.generatePassword()
        let input = UserInput(email: email, name: signature.name ?? email, role: role, municipalityID: municipalityID,
                              departmentID: departmentID, areaIDs: areaIDs, password: password, active: true)
        do {
            let user = try await AccountsService.create(input, by: nil, requestID: nil, hasher: app.password, common: app.commonPasswords, now: app.clock(), on: app.db)
            context.console.print("Created \(user.role.rawValue) \(user.email).")
            if generated { context.console.print("Password: \(password)") }
        } catch let failure as ValidationFailure {
            for error in failure.errors { context.console.error("--\(Self.option(for: error.field)): \(app.localizer.text(error.key, .en, error.values))") }
            throw ExitCode(1)
        }
    }

    /// The command-line option a form field corresponds to.
    static func option(for field: String) -> String {
        ["areas": "areas", "department": "department", "municipality": "municipality", "role": "role", "password": "password", "email": "email", "name": "name"][field] ?? field
    }

    static func generatePassword() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        return String((0..<20).map { _ in alphabet.randomElement()! })
    }
}



import Vapor
import Fluent
import Domain

/// What an admin (or the CLI) fills in for a staff account.
struct UserInput {
    var email: String
    var name: String
    var role: String
    var municipalityID: UUID?
    var departmentID: UUID?
    var areaIDs: [UUID]
    var password: String?
    var active: Bool
}

enum AccountsService {
    /// Checks the input against the rules; returns the cleaned values or every problem at once.
    static func validate(_ input: UserInput, existing: User?, common: CommonPasswords, on db: any Database) async throws -> (email: String, name: String, role: Role) {
        var errors: [FieldError] = []
        let name = Credentials.validateName(input.name).collect(into: &errors)
        let email = Credentials.normaliseEmail(input.email).collect(into: &errors)
        let role = Role(rawValue: input.role)
        if role == nil { errors.append(FieldError("role", "user.role.missing")) }
        if let password = input.password, !password.isEmpty {
            if let e = Credentials.validatePassword(password, common: common) { errors.append(e) }
        }
        if let email {
            let clash = try await User.query(on: db).filter(\.$email == email).first()
            if let clash, clash.id != existing?.id { errors.append(FieldError("email", "user.email.taken")) }
        }
        if let role {
            if role != .admin && input.municipalityID == nil { errors.append(FieldError("municipality", "user.municipality.missing")) }
            if let scopeError = Permissions.validateScope(role: role, areaCount: input.areaIDs.count, hasDepartment: input.departmentID != nil) {
                errors.append(scopeError)
            }
            if let m = input.municipalityID {
                if try await Municipality.find(m, on: db) == nil { errors.append(FieldError("municipality", "user.municipality.missing")) }
                let areaCount = input.areaIDs.isEmpty ? 0 : try await Area.query(on: db).filter(\.$id ~~ input.areaIDs).filter(\.$municipality.$id == m).count()
                if role.scopeKind == .areas && areaCount != Set(input.areaIDs).count { errors.append(FieldError("areas", "user.scope.areasOtherMunicipality")) }
                if role.scopeKind == .department, let d = input.departmentID,
                   try await Department.query(on: db).filter(\.$id == d).filter(\.$municipality.$id == m).count() == 0 {
                    errors.append(FieldError("department", "user.scope.departmentOtherMunicipality"))
                }
            }
        }
        guard errors.isEmpty, let email, let name, let role else { throw ValidationFailure(errors) }
        return (email, name, role)
    }

    /// Creates an account (admin page or `wijkwerk user create`), with its scope and an audit entry.
    static func create(_ input: UserInput, by actor: User?, requestID: String?, hasher: any PasswordHasher, common: CommonPasswords, now: Date,
                       invite: (mailer: AccountMailer, municipality: String?, role: String)? = nil, on db: any Database) async throws -> User {
        let (email, name, role) = try await validate(input, existing: nil, common: common, on: db)
        if (input.password ?? "").isEmpty && invite == nil {
            throw ValidationFailure([FieldError("password", "password.tooShort", [String(Credentials.minPasswordLength)])])
        }
        // Without a password the account is invited: it gets a link to choose one (the caller mails it).
        let password = (input.password ?? "").isEmpty ? nil : input.password
        let user = User()
        user.email = email
        user.name = name
        user.role = role
        user.$municipality.id = input.municipalityID
        user.$department.id = role.scopeKind == .department ? input.departmentID : nil
        user.passwordHash = try password.map { try hasher.hash($0) } ?? AccountTokens.unusableHash()
        user.active = input.active
        user.createdAt = now
        let areaIDs = role.scopeKind == .areas ? Array(Set(input.areaIDs)) : []
        do {
            try await db.writeTransaction { db in
                try await user.create(on: db)
                try await setAreas(of: user, to: areaIDs, on: db)
                try await AuditLog.record(on: db, by: actor, action: .userCreate,
                                          subject: .init(id: user.id?.uuidString, summary: user.email, municipalityID: user.$municipality.id),
                                          after: user.snapshot(areaIDs: areaIDs), requestID: requestID, at: now)
                if password == nil, let invite {
                    let token = try await AccountTokens.issue(user, .invitation, at: now, on: db)
                    try await invite.mailer.invitation(user, token: token, municipality: invite.municipality, role: invite.role, at: now, on: db)
                }
            }
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw ValidationFailure([FieldError("email", "user.email.taken")])
        }
        return user
    }

    static func update(_ user: User, with input: UserInput, by actor: User, requestID: String?, hasher: any PasswordHasher, common: CommonPasswords, now: Date, on db: any Database) async throws {
        let (email, name, role) = try await validate(input, existing: user, common: common, on: db)
        let beforeAreas = try await UserArea.query(on: db).filter(\.$user.$id == user.requireID()).all().map(\.$area.id)
        let before = user.snapshot(areaIDs: beforeAreas)
        user.email = email
        user.name = name
        user.role = role
        user.$municipality.id = input.municipalityID
        user.$department.id = role.scopeKind == .department ? input.departmentID : nil
        user.active = input.active
        let passwordChanged = !(input.password ?? "").isEmpty
        if let password = input.password, !password.isEmpty { user.passwordHash = try hasher.hash(password) }
        let areaIDs = role.scopeKind == .areas ? Array(Set(input.areaIDs)) : []
        let after = user.snapshot(areaIDs: areaIDs)
        try await db.writeTransaction { db in
            try await user.update(on: db)
            try await setAreas(of: user, to: areaIDs, on: db)
            // A changed role, scope, access or password ends every session of the account: it logs in again.
            if passwordChanged || before.role != after.role || Set(before.areaIDs) != Set(after.areaIDs)
                || before.municipalityID != after.municipalityID || before.departmentID != after.departmentID || before.active != after.active {
                try await SessionStore.endAll(for: user.requireID(), on: db)
            }
            try await AuditLog.record(on: db, by: actor, action: .userUpdate,
                                      subject: .init(id: user.id?.uuidString, summary: user.email, municipalityID: user.$municipality.id),
                                      before: before, after: user.snapshot(areaIDs: areaIDs), requestID: requestID, at: now)
        }
    }

    private static func setAreas(of user: User, to areaIDs: [UUID], on db: any Database) async throws {
        try await UserArea.query(on: db).filter(\.$user.$id == user.requireID()).delete()
        for areaID in areaIDs.sorted(by: { $0.uuidString < $1.uuidString }) {
            let link = UserArea()
            link.$user.id = try user.requireID()
            link.$area.id = areaID
            try await link.create(on: db)
        }
    }
}

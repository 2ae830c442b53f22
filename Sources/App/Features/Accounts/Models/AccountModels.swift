import Vapor
import Fluent
import Domain

final class User: Model, @unchecked Sendable {
    static let schema = "users"
    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    @Field(key: "password_hash") var passwordHash: String
    @Enum(key: "role") var role: Role
    @OptionalParent(key: "municipality_id") var municipality: Municipality?
    @OptionalParent(key: "department_id") var department: Department?
    @Field(key: "active") var active: Bool
    @Field(key: "created_at") var createdAt: Date
    /// Two-step login: the base32 secret, since when it is on, and the last time step used (a code works once).
    @OptionalField(key: "totp_secret") var totpSecret: String?
    @OptionalField(key: "totp_enabled_at") var totpEnabledAt: Date?
    @OptionalField(key: "totp_last_counter") var totpLastCounter: Int64?
    /// The account at the municipality's identity provider this account logs in with (issuer#subject), once linked.
    @OptionalField(key: "oidc_subject") var openIDSubject: String?
    @Siblings(through: UserArea.self, from: \.$user, to: \.$area) var areas: [Area]
    init() {}

    /// What the audit log keeps of a user: never the password hash.
    struct Snapshot: Codable {
        var email: String
        var name: String
        var role: String
        var municipalityID: UUID?
        var departmentID: UUID?
        var areaIDs: [UUID]
        var active: Bool
    }

    func snapshot(areaIDs: [UUID]) -> Snapshot {
        Snapshot(email: email, name: name, role: role.rawValue, municipalityID: $municipality.id, departmentID: $department.id,
                 areaIDs: areaIDs.sorted { $0.uuidString < $1.uuidString }, active: active)
    }
}

extension User: ModelSessionAuthenticatable {}

final class UserArea: Model, @unchecked Sendable {
    static let schema = "user_areas"
    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Parent(key: "area_id") var area: Area
    init() {}
}

/// A municipal department (vakafdeling), with its domain and team lead.
final class Department: Model, @unchecked Sendable {
    static let schema = "departments"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Field(key: "name") var name: String
    @Field(key: "domain") var domain: String
    @OptionalField(key: "team_lead_id") var teamLeadID: UUID?
    init() {}

    struct Snapshot: Codable { var name: String; var domain: String; var teamLeadID: UUID? }
    var snapshot: Snapshot { Snapshot(name: name, domain: domain, teamLeadID: teamLeadID) }

    static let domains = ["fysiek", "sociaal", "veiligheid", "economie", "dienstverlening", "bestuur"]
}

/// Failed logins per e-mail address (also for addresses without an account).
final class LoginThrottleRecord: Model, @unchecked Sendable {
    static let schema = "login_throttles"
    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "failures") var failures: Int
    @OptionalField(key: "window_start") var windowStart: Date?
    @OptionalField(key: "locked_until") var lockedUntil: Date?
    /// Raised by every change, so that two attempts at the same moment cannot both count from the same state.
    @Field(key: "version") var version: Int
    init() {}

    var state: LoginThrottle { LoginThrottle(failures: failures, windowStart: windowStart, lockedUntil: lockedUntil) }
}

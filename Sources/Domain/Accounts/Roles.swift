import Foundation

/// The staff roles of domain.md §1. Residents do not need an account.
public enum Role: String, CaseIterable, Codable, Sendable {
    case admin
    case areaCoordinator
    case areaManager
    case departmentOfficer
    case teamLead
    case areaAlderman
    case executive
    case municipalCouncil
    case councilMember
    case partner

    /// What a role's scope is made of.
    public enum ScopeKind: String, Sendable { case municipality, areas, department }

    public var scopeKind: ScopeKind {
        switch self {
        case .areaCoordinator, .areaAlderman, .councilMember, .partner: return .areas
        case .departmentOfficer, .teamLead: return .department
        case .admin, .areaManager, .executive, .municipalCouncil: return .municipality
        }
    }
}

/// Who is acting: a role in one municipality, with the areas or the department the role is scoped to.
/// An admin without a municipality administers the whole installation (every municipality).
public struct Actor: Hashable, Sendable {
    public var userID: UUID
    public var role: Role
    public var municipalityID: UUID?
    public var areaIDs: Set<UUID>
    public var departmentID: UUID?

    public init(userID: UUID, role: Role, municipalityID: UUID?, areaIDs: Set<UUID> = [], departmentID: UUID? = nil) {
        self.userID = userID
        self.role = role
        self.municipalityID = municipalityID
        self.areaIDs = areaIDs
        self.departmentID = departmentID
    }
}

/// Something an actor wants to do, with the municipality (and area or department) it concerns.
public enum Action: Hashable, Sendable {
    /// Users, roles, departments, areas, the buurt mapping, classifications.
    case administer(municipality: UUID)
    case readAuditLog(municipality: UUID)
    /// The staff view of an area: its internal dashboard and work.
    case viewAreaWork(municipality: UUID, area: UUID)
    /// Coordinating an area: triage, council support, the area plan.
    case coordinateArea(municipality: UUID, area: UUID)
    /// Working on what is routed to a department.
    case handleDepartmentWork(municipality: UUID, department: UUID)
    /// Reading the municipality's self-assessments (mixing panels).
    case viewAssessments(municipality: UUID)
    /// Filling in a mixing panel for the municipality, a team or a case.
    case assessOrganisation(municipality: UUID)
    /// Recording the advice a council adopted (members of that area's council).
    case giveAdvice(municipality: UUID, area: UUID)
    /// Recording the college's answer to a council's advice.
    case answerAdvice(municipality: UUID, area: UUID)
    /// Reading a signal in the staff view (without the reporter's contact details).
    case viewSignal(municipality: UUID, area: UUID?, department: UUID?)
    /// Handling a signal: changing its state, routing, linking duplicates; includes seeing the reporter's contact details.
    case handleSignal(municipality: UUID, area: UUID?, department: UUID?)
    /// Escalating a signal by hand (council members for their area, coordinators).
    case escalateSignal(municipality: UUID, area: UUID?)
    /// Decisions the college takes for an area, such as appointing council members (the college, the area alderman).
    case decideForCollege(municipality: UUID, area: UUID)
    /// Asking a council for advice: the college (executive, aldermen) and the departments.
    case requestAdvice(municipality: UUID)
}

public enum Permissions {
    /// The rule: roles act only inside their own municipality, and area or department roles only inside their scope.
    public static func allows(_ actor: Actor, _ action: Action) -> Bool {
        if actor.role == .admin && actor.municipalityID == nil { return true }
        switch action {
        case .administer(let m), .readAuditLog(let m):
            return actor.municipalityID == m && actor.role == .admin
        case .viewAreaWork(let m, let area):
            guard actor.municipalityID == m else { return false }
            switch actor.role {
            case .admin, .areaManager, .executive, .municipalCouncil: return true
            case .areaCoordinator, .areaAlderman, .councilMember, .partner: return actor.areaIDs.contains(area)
            case .departmentOfficer, .teamLead: return true
            }
        case .coordinateArea(let m, let area):
            guard actor.municipalityID == m else { return false }
            switch actor.role {
            case .admin, .areaManager: return true
            case .areaCoordinator: return actor.areaIDs.contains(area)
            default: return false
            }
        case .viewAssessments(let m):
            return actor.municipalityID == m && actor.role != .partner
        case .assessOrganisation(let m):
            guard actor.municipalityID == m else { return false }
            return [.admin, .areaManager, .areaCoordinator, .teamLead, .executive].contains(actor.role)
        case .giveAdvice(let m, let area):
            guard actor.municipalityID == m else { return false }
            return actor.role == .admin || (actor.role == .councilMember && actor.areaIDs.contains(area))
        case .answerAdvice(let m, let area), .decideForCollege(let m, let area):
            guard actor.municipalityID == m else { return false }
            return actor.role == .admin || actor.role == .executive || (actor.role == .areaAlderman && actor.areaIDs.contains(area))
        case .viewSignal(let m, let area, let department):
            guard actor.municipalityID == m else { return false }
            switch actor.role {
            case .admin, .areaManager, .executive: return true
            case .areaCoordinator, .areaAlderman, .councilMember: return area.map { actor.areaIDs.contains($0) } ?? false
            case .departmentOfficer, .teamLead: return department != nil && actor.departmentID == department
            case .municipalCouncil, .partner: return false
            }
        case .handleSignal(let m, let area, let department):
            guard actor.municipalityID == m else { return false }
            switch actor.role {
            case .admin, .areaManager: return true
            case .areaCoordinator: return area.map { actor.areaIDs.contains($0) } ?? false
            case .departmentOfficer, .teamLead: return department != nil && actor.departmentID == department
            default: return false
            }
        case .escalateSignal(let m, let area):
            guard actor.municipalityID == m else { return false }
            switch actor.role {
            case .admin: return true
            case .councilMember, .areaCoordinator: return area.map { actor.areaIDs.contains($0) } ?? false
            default: return false
            }
        case .requestAdvice(let m):
            guard actor.municipalityID == m else { return false }
            return [.admin, .executive, .areaAlderman, .areaManager, .departmentOfficer, .teamLead].contains(actor.role)
        case .handleDepartmentWork(let m, let department):
            guard actor.municipalityID == m else { return false }
            switch actor.role {
            case .admin: return true
            case .departmentOfficer, .teamLead: return actor.departmentID == department
            default: return false
            }
        }
    }

    /// Whether a role can be given this scope: area roles need at least one area, department roles a department.
    public static func validateScope(role: Role, areaCount: Int, hasDepartment: Bool) -> FieldError? {
        switch role.scopeKind {
        case .areas where areaCount == 0: return FieldError("areas", "user.scope.areasMissing")
        case .department where !hasDepartment: return FieldError("department", "user.scope.departmentMissing")
        default: return nil
        }
    }
}

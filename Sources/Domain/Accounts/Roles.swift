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
    /// Following a council's internal work (closed meetings, members, advice under way): its area's staff,
    /// the college and the municipal council; not departments or partners.
    case followCouncilWork(municipality: UUID, area: UUID)
    /// Starting and running theme groups: admins and area managers, coordinators for groups in their areas.
    case manageThemeGroup(municipality: UUID, areas: Set<UUID>)
    /// Settings of the whole installation (such as the mixing panel's profiles): installation admins only.
    case administerInstallation
    /// Reading residents' initiatives in the staff view, with the initiators' contact details: the area's
    /// coordinator, council members and alderman, the municipality's managers and the college, and the
    /// department that decides on the initiative's budget.
    case followInitiatives(municipality: UUID, area: UUID, department: UUID?)
    /// Setting up area budgets and putting money in them (admins and area managers).
    case manageBudgets(municipality: UUID)
    /// Setting the municipality's priority ranking of areas (admins and area managers).
    case setRanking(municipality: UUID)

    /// The action without its scope: what a route declares (`ActionKind`).
    public var kind: ActionKind {
        switch self {
        case .administer: return .administer
        case .readAuditLog: return .readAuditLog
        case .viewAreaWork: return .viewAreaWork
        case .coordinateArea: return .coordinateArea
        case .handleDepartmentWork: return .handleDepartmentWork
        case .viewAssessments: return .viewAssessments
        case .assessOrganisation: return .assessOrganisation
        case .giveAdvice: return .giveAdvice
        case .answerAdvice: return .answerAdvice
        case .viewSignal: return .viewSignal
        case .handleSignal: return .handleSignal
        case .escalateSignal: return .escalateSignal
        case .decideForCollege: return .decideForCollege
        case .requestAdvice: return .requestAdvice
        case .followCouncilWork: return .followCouncilWork
        case .manageThemeGroup: return .manageThemeGroup
        case .administerInstallation: return .administerInstallation
        case .followInitiatives: return .followInitiatives
        case .manageBudgets: return .manageBudgets
        case .setRanking: return .setRanking
        }
    }
}

/// The kinds of `Action`, without municipality, area or department: what each staff route declares.
/// A route's kind is checked against the role when the request arrives (`Permissions.mayEver`); the
/// action with its scope is checked where the record is loaded (`Permissions.allows`).
public enum ActionKind: String, CaseIterable, Sendable, Codable {
    case administer, readAuditLog, viewAreaWork, coordinateArea, handleDepartmentWork, viewAssessments, assessOrganisation
    case giveAdvice, answerAdvice, viewSignal, handleSignal, escalateSignal, decideForCollege, requestAdvice
    case followCouncilWork, manageThemeGroup, administerInstallation, followInitiatives, manageBudgets, setRanking

    /// An action of this kind in the actor's own municipality and scope (the probe for `mayEver`).
    func probe(municipality m: UUID, area: UUID, department: UUID) -> Action {
        switch self {
        case .administer: return .administer(municipality: m)
        case .readAuditLog: return .readAuditLog(municipality: m)
        case .viewAreaWork: return .viewAreaWork(municipality: m, area: area)
        case .coordinateArea: return .coordinateArea(municipality: m, area: area)
        case .handleDepartmentWork: return .handleDepartmentWork(municipality: m, department: department)
        case .viewAssessments: return .viewAssessments(municipality: m)
        case .assessOrganisation: return .assessOrganisation(municipality: m)
        case .giveAdvice: return .giveAdvice(municipality: m, area: area)
        case .answerAdvice: return .answerAdvice(municipality: m, area: area)
        case .viewSignal: return .viewSignal(municipality: m, area: area, department: department)
        case .handleSignal: return .handleSignal(municipality: m, area: area, department: department)
        case .escalateSignal: return .escalateSignal(municipality: m, area: area)
        case .decideForCollege: return .decideForCollege(municipality: m, area: area)
        case .requestAdvice: return .requestAdvice(municipality: m)
        case .followCouncilWork: return .followCouncilWork(municipality: m, area: area)
        case .manageThemeGroup: return .manageThemeGroup(municipality: m, areas: [area])
        case .administerInstallation: return .administerInstallation
        case .followInitiatives: return .followInitiatives(municipality: m, area: area, department: department)
        case .manageBudgets: return .manageBudgets(municipality: m)
        case .setRanking: return .setRanking(municipality: m)
        }
    }
}

/// Which signals an actor may read in a municipality: one rule for a single signal
/// (`Permissions.allows(_, .viewSignal)`) and for the queries that list them.
public enum SignalVisibility: Hashable, Sendable {
    case none
    case all
    case areas(Set<UUID>)
    case department(UUID)

    public func includes(area: UUID?, department: UUID?) -> Bool {
        switch self {
        case .none: return false
        case .all: return true
        case .areas(let ids): return area.map { ids.contains($0) } ?? false
        case .department(let d): return department == d
        }
    }
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
            return signalVisibility(actor, municipality: m).includes(area: area, department: department)
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
        case .followCouncilWork(let m, let area):
            guard actor.municipalityID == m else { return false }
            switch actor.role {
            case .admin, .areaManager, .executive, .municipalCouncil: return true
            case .areaCoordinator, .areaAlderman, .councilMember: return actor.areaIDs.contains(area)
            case .departmentOfficer, .teamLead, .partner: return false
            }
        case .manageThemeGroup(let m, let areas):
            guard actor.municipalityID == m else { return false }
            switch actor.role {
            case .admin, .areaManager: return true
            case .areaCoordinator: return !areas.isDisjoint(with: actor.areaIDs)
            default: return false
            }
        case .administerInstallation:
            return false // only the installation admin, above
        case .followInitiatives(let m, let area, let department):
            guard actor.municipalityID == m else { return false }
            switch actor.role {
            case .admin, .areaManager, .executive: return true
            case .areaCoordinator, .areaAlderman, .councilMember: return actor.areaIDs.contains(area)
            case .departmentOfficer, .teamLead: return department != nil && actor.departmentID == department
            case .municipalCouncil, .partner: return false
            }
        case .manageBudgets(let m), .setRanking(let m):
            return actor.municipalityID == m && [.admin, .areaManager].contains(actor.role)
        }
    }

    /// Which signals the actor may read in municipality `m`.
    public static func signalVisibility(_ actor: Actor, municipality m: UUID) -> SignalVisibility {
        if actor.role == .admin && actor.municipalityID == nil { return .all }
        guard actor.municipalityID == m else { return .none }
        switch actor.role {
        case .admin, .areaManager, .executive: return .all
        case .areaCoordinator, .areaAlderman, .councilMember: return .areas(actor.areaIDs)
        case .departmentOfficer, .teamLead: return actor.departmentID.map { .department($0) } ?? .none
        case .municipalCouncil, .partner: return .none
        }
    }

    /// Whether a role can hold an action of this kind at all (in its own municipality and scope): what a
    /// route checks before anything is loaded, and what decides which links the navigation shows.
    public static func mayEver(_ role: Role, _ kind: ActionKind, installationWide: Bool = false) -> Bool {
        let m = UUID(), area = UUID(), department = UUID()
        let probe = Actor(userID: UUID(), role: role, municipalityID: installationWide ? nil : m, areaIDs: [area], departmentID: department)
        return allows(probe, kind.probe(municipality: m, area: area, department: department))
    }

    /// The actor's own form of `mayEver`.
    public static func mayEver(_ actor: Actor, _ kind: ActionKind) -> Bool {
        mayEver(actor.role, kind, installationWide: isInstallationAdmin(role: actor.role, municipality: actor.municipalityID))
    }

    /// An admin without a municipality administers the whole installation.
    public static func isInstallationAdmin(role: Role, municipality: UUID?) -> Bool { role == .admin && municipality == nil }

    /// An area alderman's signal list shows what was escalated to the alderman (the last resort), not all of the area's work.
    public static func signalListShowsOnlyEscalations(_ role: Role) -> Bool { role == .areaAlderman }

    /// Whether a role can be given this scope: area roles need at least one area, department roles a department.
    public static func validateScope(role: Role, areaCount: Int, hasDepartment: Bool) -> FieldError? {
        switch role.scopeKind {
        case .areas where areaCount == 0: return FieldError("areas", "user.scope.areasMissing")
        case .department where !hasDepartment: return FieldError("department", "user.scope.departmentMissing")
        default: return nil
        }
    }
}

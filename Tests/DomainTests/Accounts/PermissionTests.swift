import Testing
import Foundation
@testable import Domain

@Suite("Permissions")
struct PermissionTests {
    static let oss = UUID()
    static let oosterhout = UUID()
    static let ruwaard = UUID()
    static let schadewijk = UUID()
    static let ibor = UUID()
    static let sociaal = UUID()

    static func actor(_ role: Role, _ m: UUID?, areas: Set<UUID> = [], department: UUID? = nil) -> Actor {
        Actor(userID: UUID(), role: role, municipalityID: m, areaIDs: areas, departmentID: department)
    }

    /// (who, what, allowed)
    static let cases: [(String, Actor, Domain.Action, Bool)] = [
        ("installation admin administers any municipality", actor(.admin, nil), .administer(municipality: oosterhout), true),
        ("municipal admin administers own municipality", actor(.admin, oss), .administer(municipality: oss), true),
        ("municipal admin not another municipality", actor(.admin, oss), .administer(municipality: oosterhout), false),
        ("municipal admin reads own audit log", actor(.admin, oss), .readAuditLog(municipality: oss), true),
        ("coordinator does not administer", actor(.areaCoordinator, oss, areas: [ruwaard]), .administer(municipality: oss), false),
        ("coordinator does not read the audit log", actor(.areaCoordinator, oss, areas: [ruwaard]), .readAuditLog(municipality: oss), false),
        ("coordinator coordinates own area", actor(.areaCoordinator, oss, areas: [ruwaard]), .coordinateArea(municipality: oss, area: ruwaard), true),
        ("coordinator not another area", actor(.areaCoordinator, oss, areas: [ruwaard]), .coordinateArea(municipality: oss, area: schadewijk), false),
        ("coordinator not the same area id in another municipality", actor(.areaCoordinator, oss, areas: [ruwaard]), .coordinateArea(municipality: oosterhout, area: ruwaard), false),
        ("area manager coordinates every area", actor(.areaManager, oss), .coordinateArea(municipality: oss, area: schadewijk), true),
        ("alderman sees own area's work", actor(.areaAlderman, oss, areas: [ruwaard]), .viewAreaWork(municipality: oss, area: ruwaard), true),
        ("alderman not another area's work", actor(.areaAlderman, oss, areas: [ruwaard]), .viewAreaWork(municipality: oss, area: schadewijk), false),
        ("alderman does not coordinate", actor(.areaAlderman, oss, areas: [ruwaard]), .coordinateArea(municipality: oss, area: ruwaard), false),
        ("council member sees own area", actor(.councilMember, oss, areas: [schadewijk]), .viewAreaWork(municipality: oss, area: schadewijk), true),
        ("council member not another area", actor(.councilMember, oss, areas: [schadewijk]), .viewAreaWork(municipality: oss, area: ruwaard), false),
        ("partner only own area", actor(.partner, oss, areas: [ruwaard]), .viewAreaWork(municipality: oss, area: schadewijk), false),
        ("department officer handles own department", actor(.departmentOfficer, oss, department: ibor), .handleDepartmentWork(municipality: oss, department: ibor), true),
        ("department officer not another department", actor(.departmentOfficer, oss, department: ibor), .handleDepartmentWork(municipality: oss, department: sociaal), false),
        ("team lead own department", actor(.teamLead, oss, department: sociaal), .handleDepartmentWork(municipality: oss, department: sociaal), true),
        ("coordinator does not handle department work", actor(.areaCoordinator, oss, areas: [ruwaard]), .handleDepartmentWork(municipality: oss, department: ibor), false),
        ("council (gemeenteraad) sees all area work", actor(.municipalCouncil, oss), .viewAreaWork(municipality: oss, area: ruwaard), true),
        ("council (gemeenteraad) not another municipality", actor(.municipalCouncil, oss), .viewAreaWork(municipality: oosterhout, area: ruwaard), false),
        ("executive does not administer", actor(.executive, oss), .administer(municipality: oss), false),
        ("area manager fills in a mixing panel", actor(.areaManager, oss), .assessOrganisation(municipality: oss), true),
        ("coordinator fills in a mixing panel", actor(.areaCoordinator, oss, areas: [ruwaard]), .assessOrganisation(municipality: oss), true),
        ("council member does not fill in a mixing panel", actor(.councilMember, oss, areas: [ruwaard]), .assessOrganisation(municipality: oss), false),
        ("council member reads the panels", actor(.councilMember, oss, areas: [ruwaard]), .viewAssessments(municipality: oss), true),
        ("partner does not read the panels", actor(.partner, oss, areas: [ruwaard]), .viewAssessments(municipality: oss), false),
        ("no panels of another municipality", actor(.areaManager, oss), .assessOrganisation(municipality: oosterhout), false),
        ("council member records own council's advice", actor(.councilMember, oss, areas: [ruwaard]), .giveAdvice(municipality: oss, area: ruwaard), true),
        ("council member not for another council", actor(.councilMember, oss, areas: [ruwaard]), .giveAdvice(municipality: oss, area: schadewijk), false),
        ("alderman answers for own area", actor(.areaAlderman, oss, areas: [ruwaard]), .answerAdvice(municipality: oss, area: ruwaard), true),
        ("alderman not for another area", actor(.areaAlderman, oss, areas: [ruwaard]), .answerAdvice(municipality: oss, area: schadewijk), false),
        ("the college answers any advice", actor(.executive, oss), .answerAdvice(municipality: oss, area: schadewijk), true),
        ("a council member does not answer", actor(.councilMember, oss, areas: [ruwaard]), .answerAdvice(municipality: oss, area: ruwaard), false),
        ("a coordinator does not give advice", actor(.areaCoordinator, oss, areas: [ruwaard]), .giveAdvice(municipality: oss, area: ruwaard), false),
        // Signals
        ("the college reads every signal", actor(.executive, oss), .viewSignal(municipality: oss, area: nil, department: nil), true),
        ("a coordinator reads signals of own area", actor(.areaCoordinator, oss, areas: [ruwaard]), .viewSignal(municipality: oss, area: ruwaard, department: ibor), true),
        ("a coordinator not of another area", actor(.areaCoordinator, oss, areas: [ruwaard]), .viewSignal(municipality: oss, area: schadewijk, department: ibor), false),
        ("a coordinator not a signal without area", actor(.areaCoordinator, oss, areas: [ruwaard]), .viewSignal(municipality: oss, area: nil, department: ibor), false),
        ("an officer reads own department's signals", actor(.departmentOfficer, oss, department: ibor), .viewSignal(municipality: oss, area: ruwaard, department: ibor), true),
        ("an officer not another department's", actor(.departmentOfficer, oss, department: ibor), .viewSignal(municipality: oss, area: ruwaard, department: sociaal), false),
        ("an officer not unrouted signals", actor(.departmentOfficer, oss, department: ibor), .viewSignal(municipality: oss, area: ruwaard, department: nil), false),
        ("the municipal council reads no single signals", actor(.municipalCouncil, oss), .viewSignal(municipality: oss, area: ruwaard, department: ibor), false),
        ("a partner reads no signals", actor(.partner, oss, areas: [ruwaard]), .viewSignal(municipality: oss, area: ruwaard, department: ibor), false),
        ("no signals of another municipality", actor(.areaManager, oss), .viewSignal(municipality: oosterhout, area: nil, department: nil), false),
        ("a council member reads own area's signals", actor(.councilMember, oss, areas: [ruwaard]), .viewSignal(municipality: oss, area: ruwaard, department: nil), true),
        ("a council member does not handle them", actor(.councilMember, oss, areas: [ruwaard]), .handleSignal(municipality: oss, area: ruwaard, department: nil), false),
        ("a coordinator handles own area's signals", actor(.areaCoordinator, oss, areas: [ruwaard]), .handleSignal(municipality: oss, area: ruwaard, department: nil), true),
        ("an officer handles own department's", actor(.teamLead, oss, department: ibor), .handleSignal(municipality: oss, area: nil, department: ibor), true),
        ("the alderman does not handle signals", actor(.areaAlderman, oss, areas: [ruwaard]), .handleSignal(municipality: oss, area: ruwaard, department: ibor), false),
        ("the executive does not handle signals", actor(.executive, oss), .handleSignal(municipality: oss, area: ruwaard, department: ibor), false),
        ("a council member escalates in own area", actor(.councilMember, oss, areas: [ruwaard]), .escalateSignal(municipality: oss, area: ruwaard), true),
        ("not in another area", actor(.councilMember, oss, areas: [ruwaard]), .escalateSignal(municipality: oss, area: schadewijk), false),
        ("an officer does not escalate by hand", actor(.departmentOfficer, oss, department: ibor), .escalateSignal(municipality: oss, area: ruwaard), false),
        // Councils
        ("the college asks for advice", actor(.executive, oss), .requestAdvice(municipality: oss), true),
        ("a department asks for advice", actor(.departmentOfficer, oss, department: ibor), .requestAdvice(municipality: oss), true),
        ("a council member does not ask", actor(.councilMember, oss, areas: [ruwaard]), .requestAdvice(municipality: oss), false),
        ("a coordinator does not ask", actor(.areaCoordinator, oss, areas: [ruwaard]), .requestAdvice(municipality: oss), false),
        ("not in another municipality", actor(.executive, oss), .requestAdvice(municipality: oosterhout), false),
        ("the alderman appoints in own area", actor(.areaAlderman, oss, areas: [ruwaard]), .decideForCollege(municipality: oss, area: ruwaard), true),
        ("not in another area", actor(.areaAlderman, oss, areas: [ruwaard]), .decideForCollege(municipality: oss, area: schadewijk), false),
        ("the executive appoints anywhere", actor(.executive, oss), .decideForCollege(municipality: oss, area: schadewijk), true),
        ("a coordinator does not appoint", actor(.areaCoordinator, oss, areas: [ruwaard]), .decideForCollege(municipality: oss, area: ruwaard), false),
        ("a council member follows own council", actor(.councilMember, oss, areas: [ruwaard]), .followCouncilWork(municipality: oss, area: ruwaard), true),
        ("not another council", actor(.councilMember, oss, areas: [ruwaard]), .followCouncilWork(municipality: oss, area: schadewijk), false),
        ("the municipal council follows every council", actor(.municipalCouncil, oss), .followCouncilWork(municipality: oss, area: schadewijk), true),
        ("departments do not see closed council work", actor(.departmentOfficer, oss, department: ibor), .followCouncilWork(municipality: oss, area: ruwaard), false),
        ("partners do not either", actor(.partner, oss, areas: [ruwaard]), .followCouncilWork(municipality: oss, area: ruwaard), false),
        ("a coordinator runs a theme group in own area", actor(.areaCoordinator, oss, areas: [ruwaard]), .manageThemeGroup(municipality: oss, areas: [ruwaard, schadewijk]), true),
        ("not one only in other areas", actor(.areaCoordinator, oss, areas: [ruwaard]), .manageThemeGroup(municipality: oss, areas: [schadewijk]), false),
        ("an area manager runs any", actor(.areaManager, oss), .manageThemeGroup(municipality: oss, areas: [schadewijk]), true),
        ("an alderman does not run theme groups", actor(.areaAlderman, oss, areas: [ruwaard]), .manageThemeGroup(municipality: oss, areas: [ruwaard]), false),
        ("only the installation admin sets installation settings", actor(.admin, nil), .administerInstallation, true),
        ("a municipality's admin does not", actor(.admin, oss), .administerInstallation, false),
    ]

    /// Which roles can hold each kind of action at all (what a route checks): derived from `allows`.
    @Test func whatEachRoleMayEverDo() {
        let expected: [ActionKind: Set<Role>] = [
            .administer: [.admin], .readAuditLog: [.admin],
            .viewSignal: [.admin, .areaManager, .executive, .areaCoordinator, .areaAlderman, .councilMember, .departmentOfficer, .teamLead],
            .handleSignal: [.admin, .areaManager, .areaCoordinator, .departmentOfficer, .teamLead],
            .escalateSignal: [.admin, .areaCoordinator, .councilMember],
            .followCouncilWork: [.admin, .areaManager, .executive, .municipalCouncil, .areaCoordinator, .areaAlderman, .councilMember],
            .requestAdvice: [.admin, .executive, .areaAlderman, .areaManager, .departmentOfficer, .teamLead],
            .administerInstallation: [],
        ]
        for (kind, roles) in expected {
            #expect(Set(Role.allCases.filter { Permissions.mayEver($0, kind) }) == roles, "\(kind)")
        }
        #expect(Permissions.mayEver(.admin, .administerInstallation, installationWide: true))
        // Every kind's probe is an action of that kind.
        for kind in ActionKind.allCases {
            #expect(kind.probe(municipality: Self.oss, area: Self.ruwaard, department: Self.ibor).kind == kind)
        }
    }

    @Test func oneRuleForASignalAndForTheList() {
        let actors = [Self.actor(.areaCoordinator, Self.oss, areas: [Self.ruwaard]), Self.actor(.departmentOfficer, Self.oss, department: Self.ibor),
                      Self.actor(.executive, Self.oss), Self.actor(.partner, Self.oss, areas: [Self.ruwaard]), Self.actor(.admin, nil),
                      Self.actor(.departmentOfficer, Self.oss)]
        for actor in actors {
            for m in [Self.oss, Self.oosterhout] {
                for area in [Self.ruwaard, Self.schadewijk, nil] as [UUID?] {
                    for department in [Self.ibor, Self.sociaal, nil] as [UUID?] {
                        #expect(Permissions.signalVisibility(actor, municipality: m).includes(area: area, department: department)
                                == Permissions.allows(actor, .viewSignal(municipality: m, area: area, department: department)))
                    }
                }
            }
        }
    }

    @Test(arguments: cases)
    func matrix(label: String, actor: Actor, action: Domain.Action, allowed: Bool) {
        #expect(Permissions.allows(actor, action) == allowed, "\(label)")
    }

    @Test(arguments: [
        (Role.areaCoordinator, 0, false, "areas"), (.areaCoordinator, 1, false, nil), (.departmentOfficer, 0, false, "department"),
        (.teamLead, 0, true, nil), (.admin, 0, false, nil), (.councilMember, 0, false, "areas"), (.executive, 0, false, nil),
    ] as [(Role, Int, Bool, String?)])
    func scopes(role: Role, areas: Int, department: Bool, errorField: String?) {
        #expect(Permissions.validateScope(role: role, areaCount: areas, hasDepartment: department)?.field == errorField)
    }
}

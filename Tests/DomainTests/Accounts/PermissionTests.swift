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
    ]

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

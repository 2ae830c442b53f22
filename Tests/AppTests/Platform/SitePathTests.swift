import Foundation
import Testing
import Vapor
@testable import App

@Suite("One route table for routes and links")
struct SitePathTests {
    @Test func linksFillParametersInOrderAndEncodeThem() {
        #expect(Site.signal.link("SIG-AB12-CD34") == "/werk/meldingen/SIG-AB12-CD34")
        #expect(Site.area.link("oss", "ruwaard") == "/gemeenten/oss/gebieden/ruwaard")
        #expect(Site.councilMembers("lid", ":member", "gestopt").description == "/werk/raden/:council/leden/lid/:member/gestopt")
        #expect(Site.area.link("oss", "a/b c") == "/gemeenten/oss/gebieden/a%2Fb%20c", "a value cannot add a segment")
        #expect(Site.home.link() == "/")
    }

    /// Every link pattern in the table is a registered route, so a renamed segment cannot leave a dead link.
    @Test func everyPatternInTheTableIsARoute() async throws {
        try await withApp(demo: false) { app in
            let registered = Set(app.routes.all.map { "/" + $0.path.map(\.description).joined(separator: "/") })
            let table: [SitePath] = [Site.home, Site.login, Site.municipality, Site.area, Site.areaCouncil, Site.areaCouncilApply, Site.areaReport,
                                     Site.areaCalendarFeed, Site.report, Site.reportForm, Site.meetings, Site.meetingsFeed, Site.meeting, Site.meetingDocument,
                                     Site.adviceRegister, Site.adviceNew, Site.advice, Site.themeGroups, Site.themeGroup, Site.mixingPanels, Site.mixingPanelNew,
                                     Site.mixingPanel, Site.trackingLookup, Site.tracking, Site.trackingOwnLink, Site.signalInbox, Site.signalDashboard, Site.signal,
                                     Site.councilWork, Site.council, Site.councilMeeting, Site.councilMembers, Site.admin, Site.users, Site.user, Site.auditLog,
                                     Site.mixingPanelProfiles, Site.adminAreas, Site.adminArea, Site.adminMapping, Site.adminClassifications, Site.adminClassification,
                                     Site.adminDepartments, Site.adminDepartment, Site.adminSignals, Site.adminCouncils]
            for path in table {
                let pattern = path.description == "/" ? "/" : path.description
                #expect(registered.contains(pattern) || (pattern == "/" && registered.contains("/")), "\(pattern) is linked to but not a route")
            }
        }
    }
}

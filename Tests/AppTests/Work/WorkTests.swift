import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import Domain

@Suite("Mijn werk: what needs action now, per role")
struct WorkTests {
    static func loggedIn(_ app: Application, _ email: String, _ role: Role, areas: [String] = [], department: String? = nil) async throws -> TestBrowser {
        try await Fixture.user(app, email: email, role: role, areas: areas, department: department)
        let browser = TestBrowser(app)
        let response = try await browser.submit("/inloggen", [("email", email), ("password", Fixture.password)])
        #expect(response.headers.first(name: .location) == "/werk", "login lands on Mijn werk")
        return browser
    }

    @Test func eachRoleSeesItsOwnWork() async throws {
        try await withApp(demoSignals: 60) { app in
            let ruwaard = try await Fixture.area(app, "ruwaard")
            let now = app.clock()
            let co = try await Self.loggedIn(app, "co@oss.test", .areaCoordinator, areas: ["ruwaard"])
            let page = try await co.get("/werk")
            #expect(page.status == .ok && page.text.contains("Mijn werk"))
            let overdue = try await Signal.query(on: app.db).filter(\.$area.$id == ruwaard.requireID()).filter(\.$state ~~ SignalJobs.openStates)
                .filter(\.$deadline < now).count()
            #expect(page.text.contains("href=\"/werk/meldingen?te_laat=ja\""))
            #expect(page.text.contains("Meldingen over de termijn</a>: <span class=\"ww-status-badge ww-status-badge--\(overdue > 0 ? "danger" : "neutral")\">\(overdue)</span>"),
                    "the count is the coordinator's own overdue signals (\(overdue))")
            #expect(page.text.contains("Adviezen waarvan het antwoord te laat is"), "a coordinator follows the council's late answers")
            #expect(!page.text.contains("Adviezen die op uw antwoord wachten"), "but does not answer advice")

            let alderman = try await Self.loggedIn(app, "weth@oss.test", .areaAlderman, areas: ["ruwaard"])
            let aldermanPage = try await alderman.get("/werk").text
            #expect(aldermanPage.contains("Adviezen die op uw antwoord wachten"))

            let officer = try await Self.loggedIn(app, "or@oss.test", .departmentOfficer, department: "Openbare ruimte")
            let officerPage = try await officer.get("/werk").text
            #expect(officerPage.contains("Nieuwe meldingen om te beoordelen") && !officerPage.contains("Adviezen"))

            let council = try await Self.loggedIn(app, "raad@oss.test", .municipalCouncil)
            let councilPage = try await council.get("/werk").text
            #expect(!councilPage.contains("Meldingen over de termijn"), "the municipal council reads no single signals")
            #expect(try await TestBrowser(app).get("/werk").status == .seeOther, "staff only")
        }
    }

    @Test func meetingsToPrepareForTheCoordinator() async throws {
        try await withApp { app in
            let council = try await CouncilWorkTests.council(app)
            let meeting = CouncilMeeting()
            meeting.$council.id = try council.requireID()
            meeting.startsAt = app.clock().addingTimeInterval(3 * 86_400)
            meeting.endsAt = meeting.startsAt.addingTimeInterval(7200)
            meeting.place = "Wijkcentrum"
            meeting.isPublic = true
            meeting.status = .planned
            try await meeting.create(on: app.db)
            let co = try await Self.loggedIn(app, "co@oss.test", .areaCoordinator, areas: ["ruwaard"])
            let page = try await co.get("/werk").text
            #expect(page.contains("Vergaderingen om voor te bereiden") && page.contains("/werk/raden/\(council.id!)/vergaderingen/\(meeting.id!)"))
        }
    }
}

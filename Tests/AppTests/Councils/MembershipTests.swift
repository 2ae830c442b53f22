import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import Domain

@Suite("Councils: members, candidates and the selection group", .serialized)
struct MembershipTests {
    static let now = Date(timeIntervalSince1970: 1_795_435_200) // 23 November 2026
    static let apply = "/gemeenten/oss/gebieden/ruwaard/raad/aanmelden"

    static func buurt(_ app: Application, in area: String) async throws -> String {
        let a = try await Fixture.area(app, area)
        let oss = try #require(try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first())
        let s = try await app.areaDirectory.snapshot(for: oss, on: app.db)
        return try #require(s.neighbourhoods.first { $0.areaID == a.id }).id.uuidString
    }

    static func form(_ buurt: String, name: String = "Sanne Bakker", email: String = "sanne@voorbeeld.nl", politics: String = "nee", employed: String = "nee") -> [(String, String)] {
        [("naam", name), ("email", email), ("buurt", buurt), ("politiek", politics), ("gemeente", employed), ("motivatie", "Ik organiseer de buurtbarbecue.")]
    }

    @Test func thePublicCouncilPageShowsTermMembersAndVacancies() async throws {
        try await withApp(now: Self.now) { app in
            let page = try await TestBrowser(app).get("/gemeenten/oss/gebieden/ruwaard/raad").text
            #expect(page.contains("Huidige termijn: 1 mei 2026 tot 1 mei 2030"))
            #expect(page.contains("De volgende termijn begint op 1 mei 2030"))
            #expect(page.contains("De raad heeft 7 plaatsen") && page.contains("verzonnen"))
            let form = try await TestBrowser(app).get(Self.apply).text
            #expect(form.contains("Kent het gebied sociaal, fysiek en cultureel"), "the council profile comes first")
        }
    }

    @Test func ineligibleCandidatesGetTheReasonAndNothingIsSaved() async throws {
        try await withApp(now: Self.now) { app in
            let ruwaard = try await Self.buurt(app, in: "ruwaard"), schadewijk = try await Self.buurt(app, in: "schadewijk")
            try await Fixture.user(app, email: "medewerker@oss.test", role: .departmentOfficer, department: "Openbare ruimte")
            let browser = TestBrowser(app)
            let outside = try await browser.submit(Self.apply, Self.form(schadewijk))
            #expect(outside.status == .unprocessableEntity && outside.text.contains("U woont niet in Ruwaard") && outside.text.contains("Ik organiseer de buurtbarbecue."))
            let politics = try await browser.submit(Self.apply, Self.form(ruwaard, politics: "ja"))
            #expect(politics.status == .unprocessableEntity && politics.text.contains("lokale politiek"))
            let employed = try await browser.submit(Self.apply, Self.form(ruwaard, employed: "ja"))
            #expect(employed.status == .unprocessableEntity && employed.text.contains("niet bij de gemeente Oss werken"))
            #expect(try await CouncilCandidate.query(on: app.db).count() == 0)
            // Whether an address is a staff member's is not told to the public form (no probing of staff
            // addresses): the application is stored like any other, and the coordinator's check reports it.
            let staff = try await browser.submit(Self.apply, Self.form(ruwaard, email: "medewerker@oss.test"))
            let other = try await TestBrowser(app).submit(Self.apply, Self.form(ruwaard, name: "Piet Smit", email: "piet@voorbeeld.nl"))
            #expect(staff.status == .created && other.status == .created)
            #expect(!staff.text.contains("medewerker") && staff.text.replacingOccurrences(of: "Piet Smit", with: "") == other.text.replacingOccurrences(of: "Piet Smit", with: "")
                    || staff.text.count == other.text.count, "the same answer for a staff address and any other")
            let stored = try #require(try await CouncilCandidate.query(on: app.db).filter(\.$email == "medewerker@oss.test").first())
            let council = try await CouncilWorkTests.council(app)
            let co = try await CouncilWorkTests.coordinator(app)
            let members = "/werk/raden/\(council.id!)/leden"
            let checked = try await co.submit(members, to: members + "/kandidaten/\(stored.id!)", [("stap", "check")])
            #expect(checked.status == .seeOther)
            let after = try #require(try await CouncilCandidate.find(stored.id, on: app.db))
            #expect(after.reasons.contains("staffAccount"), "the coordinator's check finds the staff account")
            // A second application with the same address: the same answer, not stored twice.
            let again = try await TestBrowser(app).submit(Self.apply, Self.form(ruwaard, name: "Piet Smit", email: "piet@voorbeeld.nl"))
            #expect(again.status == .created)
            #expect(try await CouncilCandidate.query(on: app.db).filter(\.$email == "piet@voorbeeld.nl").count() == 1)
        }
    }

    @Test func theFullFlowFromApplicationToMembership() async throws {
        try await withApp(now: Self.now) { app in
            let ruwaard = try await Self.buurt(app, in: "ruwaard")
            let council = try await CouncilWorkTests.council(app)
            let members = "/werk/raden/\(council.id!)/leden"
            let co = try await CouncilWorkTests.coordinator(app)
            let before = try await CouncilMember.query(on: app.db).filter(\.$council.$id == council.requireID()).count()

            // The selection group first; then a member of it cannot apply.
            #expect(try await co.submit(members, to: members + "/selectiegroep", [("selector_naam", "Piet Selectie"), ("selector_email", "piet@voorbeeld.nl")]).status == .seeOther)
            let selector = try await TestBrowser(app).submit(Self.apply, Self.form(ruwaard, name: "Piet Selectie", email: "piet@voorbeeld.nl"))
            #expect(selector.status == .unprocessableEntity && selector.text.contains("selectiegroep"))

            // Sanne applies; then she cannot be added to the selection group (the exclusion works both ways).
            #expect(try await TestBrowser(app).submit(Self.apply, Self.form(ruwaard)).status == .created)
            let both = try await co.submit(members, to: members + "/selectiegroep", [("selector_naam", "Sanne Bakker"), ("selector_email", "sanne@voorbeeld.nl")])
            #expect(both.status == .unprocessableEntity && both.text.contains("is kandidaat in deze ronde"))
            let candidate = try #require(try await CouncilCandidate.query(on: app.db).first())
            #expect(candidate.state == .applied)
            #expect(try await TestBrowser(app).submit(Self.apply, Self.form(ruwaard)).status == .created, "the same answer as the first time (nothing tells whether an address applied)")
            #expect(try await CouncilCandidate.query(on: app.db).count() == 1, "one application per round")

            func step(_ browser: TestBrowser, _ name: String, _ extra: [(String, String)] = []) async throws -> TestingHTTPResponse {
                try await browser.submit(members, to: members + "/kandidaten/\(candidate.id!)", [("stap", name)] + extra)
            }
            #expect(try await step(co, "appoint", [("besluitdatum", "2026-11-20")]).status == .forbidden, "the coordinator does not appoint")
            #expect(try await step(co, "nominate").status == .conflict, "check first")
            #expect(try await step(co, "check").status == .seeOther)
            #expect(try await CouncilCandidate.find(candidate.id, on: app.db)?.state == .checked)
            #expect(try await step(co, "nominate").status == .seeOther)
            try await Fixture.user(app, email: "wethouder@oss.test", role: .areaAlderman, areas: ["ruwaard"])
            let alderman = TestBrowser(app)
            _ = try await alderman.login("wethouder@oss.test", Fixture.password)
            #expect(try await step(alderman, "appoint", [("besluitdatum", "2027-01-01")]).status == .unprocessableEntity, "no decision in the future")
            #expect(try await step(alderman, "appoint", [("besluitdatum", "2026-11-20")]).status == .seeOther)
            #expect(try await CouncilCandidate.find(candidate.id, on: app.db)?.state == .appointed)
            #expect(try await CouncilMember.query(on: app.db).filter(\.$council.$id == council.requireID()).count() == before + 1)
            #expect(try await TestBrowser(app).get("/gemeenten/oss/gebieden/ruwaard/raad").text.contains("Sanne Bakker"))
            let audit = try await AuditEntry.query(on: app.db).filter(\.$action ~~ ["council.candidate.apply", "council.candidate.check", "council.candidate.nominate", "council.candidate.appoint"]).count()
            #expect(audit == 4)

            // Adding her again for an overlapping period is refused; she resigns.
            let overlap = try await co.submit(members, to: members + "/lid", [("naam", "Sanne Bakker"), ("email", "sanne@voorbeeld.nl"), ("rol", "member"), ("vanaf", "2026-12-01")])
            #expect(overlap.status == .unprocessableEntity && overlap.text.contains("is in deze periode al lid"))
            let sanne = try #require(try await CouncilMember.query(on: app.db).filter(\.$name == "Sanne Bakker").first())
            #expect(try await co.submit(members, to: members + "/lid/\(sanne.id!)/gestopt", [("datum", "2026-11-23")]).status == .seeOther)
            #expect(try await CouncilMember.find(sanne.id, on: app.db)?.resignedOn != nil)
        }
    }

    @Test func anotherCouncilsCoordinatorCannotActAndAreasWithoutACouncilRecordTheirAlternative() async throws {
        try await withApp(now: Self.now) { app in
            let council = try await CouncilWorkTests.council(app)
            let other = try await CouncilWorkTests.coordinator(app, area: "schadewijk")
            #expect(try await other.get("/werk/raden/\(council.id!)/leden").status == .forbidden)
            // Oosterhout has no councils: its coordinator records what the area does instead.
            let oosterhoutArea = try #require(try await Area.query(on: app.db).join(Municipality.self, on: \Area.$municipality.$id == \Municipality.$id)
                .filter(Municipality.self, \.$code == "GM0826").first())
            try await Fixture.user(app, email: "co@oosterhout.test", role: .areaCoordinator, municipality: "GM0826", areas: [oosterhoutArea.slug])
            let co = TestBrowser(app)
            _ = try await co.login("co@oosterhout.test", Fixture.password)
            let list = try await co.get("/werk/raden")
            #expect(list.status == .ok && list.text.contains("Gebieden zonder raad") && list.text.contains(oosterhoutArea.name))
            #expect(try await co.submit("/werk/raden", to: "/werk/raden/alternatief", [("gebied", oosterhoutArea.id!.uuidString), ("vorm", "Een bewonerspanel van twaalf inwoners"),
                                                                                   ("sinds", "2026-09-01"), ("besluit", "2026-08-15")]).status == .seeOther)
            let page = try await TestBrowser(app).get("/gemeenten/oosterhout/gebieden/\(oosterhoutArea.slug)").text
            #expect(page.contains("Een bewonerspanel van twaalf inwoners"))
        }
    }
}

import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import Domain

@Suite("Councils: theme groups and advice side by side", .serialized)
struct ThemeGroupTests {
    static let now = Date(timeIntervalSince1970: 1_795_435_200) // 23 November 2026
    static let list = "/gemeenten/oss/themagroepen"

    @Test func aThemeGroupIsStartedJoinedAndAdvisesBesideTheCouncil() async throws {
        try await withApp(now: Self.now) { app in
            let co = try await CouncilWorkTests.coordinator(app)
            let ruwaard = try await Fixture.area(app, "ruwaard"), schadewijk = try await Fixture.area(app, "schadewijk")
            let tooLong = try await co.submit(Self.list, [("onderwerp", "Groen in de wijk"), ("omschrijving", "Meer bomen."), ("gebieden[]", ruwaard.id!.uuidString),
                                                          ("begin", "2026-12-01"), ("eind", "2031-01-01")])
            #expect(tooLong.status == .unprocessableEntity && tooLong.text.contains("korter dan een termijn") && tooLong.text.contains("Groen in de wijk"))
            let noAreas = try await co.submit(Self.list, [("onderwerp", "Groen in de wijk"), ("omschrijving", "Meer bomen."), ("begin", "2026-11-01"), ("eind", "2027-06-01")])
            #expect(noAreas.status == .unprocessableEntity && noAreas.text.contains("Kies minstens één gebied"))
            // A coordinator starts groups for their own areas; an admin for any area of the municipality.
            let admin = try await Fixture.adminBrowser(app, municipality: "GM0828")
            let ok = try await admin.submit(Self.list, [("onderwerp", "Groen in de wijk"), ("omschrijving", "Meer bomen."), ("gebieden[]", ruwaard.id!.uuidString),
                                                     ("gebieden[]", schadewijk.id!.uuidString), ("begin", "2026-11-01"), ("eind", "2027-06-01")])
            #expect(ok.status == .seeOther)
            let group = try #require(try await ThemeGroup.query(on: app.db).filter(\.$topic == "Groen in de wijk").first())
            #expect(group.areaIDs.count == 2)
            let page = Self.list + "/\(group.id!)"

            // Any resident of the municipality joins; someone from Oosterhout cannot.
            let oss = try #require(try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first())
            let oosterhout = try #require(try await Municipality.query(on: app.db).filter(\.$code == "GM0826").first())
            let ossBuurt = try await app.areaDirectory.snapshot(for: oss, on: app.db).neighbourhoods[0].id.uuidString
            let otherBuurt = try await app.areaDirectory.snapshot(for: oosterhout, on: app.db).neighbourhoods[0].id.uuidString
            let resident = TestBrowser(app)
            let outside = try await resident.submit(page, to: page + "/aanmelden", [("naam", "Kees"), ("email", "kees@voorbeeld.nl"), ("buurt", otherBuurt)])
            #expect(outside.status == .unprocessableEntity && outside.text.contains("Meedoen kan als u in de gemeente woont"))
            #expect(try await resident.submit(page, to: page + "/aanmelden", [("naam", "Kees"), ("email", "kees@voorbeeld.nl"), ("buurt", ossBuurt)]).status == .seeOther)
            #expect(!(try await TestBrowser(app).get(page).text.contains("kees@voorbeeld.nl")), "members' details are not public")

            // The group advises on a council's request; the advice page shows both with their weights.
            let council = try await CouncilWorkTests.council(app)
            let request = CouncilAdvice()
            request.$council.id = try council.requireID()
            request.kind = .requested
            request.subject = "Bomenplan Ruwaard"
            request.question = "Welke straten eerst?"
            request.askedOn = Self.now.addingTimeInterval(-20 * 86_400)
            request.advice = "Begin bij de scholen."
            request.givenOn = Self.now.addingTimeInterval(-5 * 86_400)
            try await request.create(on: app.db)
            let advised = try await co.submit(page, to: page + "/advies", [("vraag", request.id!.uuidString), ("tekst", "Begin bij de drukste straten."), ("datum", "2026-11-20")])
            #expect(advised.status == .seeOther)
            let advicePage = try await TestBrowser(app).get("/gemeenten/oss/adviezen/\(request.id!)").text
            #expect(advicePage.contains("Adviezen naast elkaar") && advicePage.contains("De adviezen verschillen"))
            #expect(advicePage.contains("Weegt mee voor 67%") && advicePage.contains("Weegt mee voor 33%"))
            #expect(try await co.submit(page, to: page + "/advies", [("vraag", request.id!.uuidString), ("tekst", "Nog eens"), ("datum", "2026-11-20")]).status == .unprocessableEntity)
        }
    }

    @Test func onlyStaffOfTheGroupsAreasManageIt() async throws {
        try await withApp(now: Self.now) { app in
            let ruwaard = try await Fixture.area(app, "ruwaard")
            let co = try await CouncilWorkTests.coordinator(app)
            #expect(try await co.submit(Self.list, [("onderwerp", "Verkeer"), ("omschrijving", "Veilig naar school."), ("gebieden[]", ruwaard.id!.uuidString),
                                                    ("begin", "2026-11-01"), ("eind", "2027-06-01")]).status == .seeOther)
            let group = try #require(try await ThemeGroup.query(on: app.db).filter(\.$topic == "Verkeer").first())
            let other = try await CouncilWorkTests.coordinator(app, area: "schadewijk")
            let foreign = try await other.submit(Self.list, [("onderwerp", "Parkeren"), ("omschrijving", "x"), ("gebieden[]", ruwaard.id!.uuidString), ("begin", "2026-11-01"), ("eind", "2027-06-01")])
            #expect(foreign.status == .unprocessableEntity && foreign.text.contains("Kies alleen gebieden waarvoor u wijkcoördinator bent"))
            let page = Self.list + "/\(group.id!)"
            #expect(try await other.submit(page, to: page + "/advies", [("vraag", UUID().uuidString), ("tekst", "x"), ("datum", "2026-11-20")]).status == .forbidden)
            let anonymous = TestBrowser(app)
            let refused = try await anonymous.submit(Self.list, [("onderwerp", "x")])
            #expect(refused.status == .seeOther && refused.headers.first(name: .location)?.hasPrefix("/inloggen") == true, "staff only: to the login page")
        }
    }
}

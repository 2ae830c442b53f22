import Foundation
import Testing
import VaporTesting
import Fluent
import SQLKit
@testable import App
@testable import Domain

@Suite("Ideas for the area: support confirmed by e-mail, the coordinator's answer, the step to an initiative")
struct IdeaTests {
    static let now = Date(timeIntervalSince1970: 1_795_435_200) // 23 November 2026

    static func confirmLink(_ app: Application, to email: String) async throws -> String? {
        guard let mail = try await OutgoingMail.query(on: app.db).filter(\.$recipient == email).sort(\.$createdAt, .descending).first(),
              let range = mail.body.range(of: "/gemeenten/oss/ideeen/IDEE-[0-9]{4}-[0-9]{4}/steun/[A-Za-z0-9_-]+", options: .regularExpression) else { return nil }
        return String(mail.body[range])
    }

    @Test func supportIsCountedOncePerPersonAndTheAddressIsNeverKept() async throws {
        try await withApp(now: Self.now) { app in
            try await Fixture.user(app, email: "wijk@geffen.test", role: .areaCoordinator, areas: ["geffen"])
            let resident = TestBrowser(app)
            let form = "/gemeenten/oss/ideeen/nieuw"
            let bad = try await resident.submit(form, to: form, [("gebied", "geffen"), ("titel", ""), ("tekst", "Een speelplek"), ("thema", "play"), ("naam", "Bo"), ("email", "x")])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("Een speelplek"))
            let posted = try await resident.submit(form, to: form, [("gebied", "geffen"), ("titel", "Speelplek bij de kerk"), ("tekst", "Een speelplek voor kleine kinderen"),
                                                                    ("thema", "play"), ("naam", "Bo Jansen"), ("email", "bo@voorbeeld.nl")])
            #expect(posted.status == .seeOther)
            let idea = try await Idea.query(on: app.db).filter(\.$title == "Speelplek bij de kerk").first()!
            let page = "/gemeenten/oss/ideeen/\(idea.code)"
            let publicPage = try await TestBrowser(app).get(page).text
            #expect(publicPage.contains("Speelplek bij de kerk") && !publicPage.contains("Bo Jansen") && !publicPage.contains("bo@voorbeeld.nl"))
            #expect(try await OutgoingMail.query(on: app.db).filter(\.$recipient == "wijk@geffen.test").count() == 1, "the coordinator hears of it")

            // Support: a mail with a link; the count rises only when it is confirmed, and only once.
            let supporter = TestBrowser(app)
            #expect(try await supporter.submit(page, to: page + "/steunen", [("email", "geen-adres")]).status == .unprocessableEntity)
            #expect(try await supporter.submit(page, to: page + "/steunen", [("email", "Kim@Voorbeeld.nl")]).status == .seeOther)
            #expect(try await Idea.find(idea.id, on: app.db)!.supportCount == 0)
            let link = try #require(try await Self.confirmLink(app, to: "kim@voorbeeld.nl"))
            #expect(try await supporter.get(link).status == .ok)
            #expect(try await Idea.find(idea.id, on: app.db)!.supportCount == 1)
            let again = try await supporter.get(link)
            #expect(again.status == .ok && again.text.contains("al geteld"))
            // The same person again (other spelling of the address): the same answer, no second mail, no second support.
            let mailsBefore = try await OutgoingMail.query(on: app.db).filter(\.$recipient == "kim@voorbeeld.nl").count()
            #expect(try await supporter.submit(page, to: page + "/steunen", [("email", "kim@voorbeeld.nl ")]).status == .seeOther)
            #expect(try await OutgoingMail.query(on: app.db).filter(\.$recipient == "kim@voorbeeld.nl").count() == mailsBefore)
            #expect(try await Idea.find(idea.id, on: app.db)!.supportCount == 1)
            // A second person, whose link is opened ten times at once: counted once.
            #expect(try await supporter.submit(page, to: page + "/steunen", [("email", "sam@voorbeeld.nl")]).status == .seeOther)
            let second = try #require(try await Self.confirmLink(app, to: "sam@voorbeeld.nl"))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<10 { group.addTask { _ = try await TestBrowser(app).get(second) } }
                try await group.waitForAll()
            }
            #expect(try await Idea.find(idea.id, on: app.db)!.supportCount == 2)
            #expect(try await IdeaSupport.query(on: app.db).filter(\.$idea.$id == idea.requireID()).filter(\.$confirmedAt != nil).count() == 2)
            // Nothing in the supports holds the address.
            let rows = try await (app.db as! any SQLDatabase).raw("SELECT supporter_hash, token_hash FROM idea_supports").all()
            for row in rows {
                let values = [try row.decode(column: "supporter_hash", as: String.self), try row.decode(column: "token_hash", as: String.self)]
                #expect(!values.joined().contains("voorbeeld"))
            }
            #expect(try await TestBrowser(app).get(page).text.contains("2 keer gesteund"))
            #expect(try await TestBrowser(app).get("/gemeenten/oss/ideeen/\(idea.code)/steun/onzin").status == .notFound)

            // An expired link.
            #expect(try await supporter.submit(page, to: page + "/steunen", [("email", "laat@voorbeeld.nl")]).status == .seeOther)
            let late = try #require(try await Self.confirmLink(app, to: "laat@voorbeeld.nl"))
            app.clock = .fixed(Self.now.addingTimeInterval(73 * 3600))
            #expect(try await supporter.get(late).status == .gone)
            #expect(try await Idea.find(idea.id, on: app.db)!.supportCount == 2)

            // The coordinator answers publicly and closes it: no more support.
            let coordinator = TestBrowser(app)
            _ = try await coordinator.login("wijk@geffen.test", Fixture.password)
            let work = "/werk/ideeen/\(idea.id!.uuidString)"
            #expect(try await coordinator.get(work).text.contains("bo@voorbeeld.nl"))
            #expect(try await coordinator.submit(work, [("antwoord", "")]).status == .unprocessableEntity)
            #expect(try await coordinator.submit(work, [("antwoord", "De speelplek komt in het plan voor 2027."), ("sluiten", "ja")]).status == .seeOther)
            let closed = try await TestBrowser(app).get(page).text
            #expect(closed.contains("De speelplek komt in het plan voor 2027.") && !closed.contains("steun-formulier"))
            let token = TestBrowser.csrf(in: try await supporter.get("/gemeenten/oss/ideeen/nieuw").text)
            #expect(try await supporter.post(page + "/steunen", form: [("csrf", token), ("email", "nog@voorbeeld.nl")]).status == .conflict)
            #expect(try await OutgoingMail.query(on: app.db).filter(\.$recipient == "bo@voorbeeld.nl").filter(\.$subject ~~ "Reactie").count() == 1)
            // Another area's coordinator cannot open it.
            try await Fixture.user(app, email: "wijk@lith.test", role: .areaCoordinator, areas: ["lith"])
            let other = TestBrowser(app)
            _ = try await other.login("wijk@lith.test", Fixture.password)
            #expect(try await other.get(work).status == .forbidden)
        }
    }

    @Test func anIdeaBecomesAnInitiativeAndLinksThere() async throws {
        try await withApp(now: Self.now) { app in
            let idea = try await Idea.query(on: app.db).filter(\.$demo == true).filter(\.$status == .open).first()!
            let area = try await Area.find(idea.$area.id, on: app.db)!
            let resident = TestBrowser(app)
            let form = try await resident.get("/gemeenten/oss/initiatieven/nieuw?idee=\(idea.code)")
            #expect(form.text.contains("value=\"\(idea.title)\"") && form.text.contains("name=\"idee\" value=\"\(idea.code)\""))
            let fields = InitiativeTests.proposal(title: idea.title, amount: "", lines: [], area: area.slug) + [("idee", idea.code), ("mensen", "Hulp bij het plaatsen")]
            #expect(try await resident.submit("/gemeenten/oss/initiatieven/nieuw", fields).status == .created)
            let linked = try await Idea.find(idea.id, on: app.db)!
            #expect(linked.status == .becameInitiative && linked.initiativeID != nil)
            let page = try await TestBrowser(app).get("/gemeenten/oss/ideeen/\(idea.code)").text
            #expect(page.contains("Dit idee is een initiatief geworden") && !page.contains("steun-formulier"))
            // The area page shows ideas and initiatives, with the support counted per idea.
            let areaPage = try await TestBrowser(app).get("/gemeenten/oss/gebieden/\(area.slug)").text
            #expect(areaPage.contains("Ideeën voor dit gebied") && areaPage.contains("Initiatieven en geld"))
        }
    }
}

import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import Domain

@Suite("Contact: residents reach the area's coordinator")
struct ContactTests {
    @Test func aQuestionIsMailedToTheAreasCoordinatorsAndNothingElseIsKept() async throws {
        try await withApp { app in
            app.config.contactPhone = "14 0412"
            app.config.contactEmail = "info@gemeente.test"
            let coordinator = try await Fixture.user(app, email: "wijk@oss.test", role: .areaCoordinator, areas: ["ruwaard"])
            let page = try await TestBrowser(app).get("/gemeenten/oss/gebieden/ruwaard")
            #expect(page.text.contains("href=\"tel:14 0412\"") && page.text.contains("mailto:info@gemeente.test"))
            let resident = TestBrowser(app)
            let area = "/gemeenten/oss/gebieden/ruwaard"
            #expect(page.text.contains("href=\"/gemeenten/oss/gebieden/ruwaard/vraag\""))
            let bad = try await resident.submit(area + "/vraag", to: area + "/vraag", [("vraag", "Wanneer wordt het park gemaaid?"), ("email", "geen-adres")])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("Wanneer wordt het park gemaaid?"), "what was typed is kept")
            let ok = try await resident.submit(area + "/vraag", to: area + "/vraag", [("vraag", "Wanneer wordt het park gemaaid?"), ("naam", "Jan"), ("email", "jan@voorbeeld.nl")])
            #expect(ok.status == .created)
            let mails = try await OutgoingMail.query(on: app.db).all()
            #expect(mails.count == 1 && mails[0].recipient == coordinator.email && mails[0].body.contains("Wanneer wordt het park gemaaid?") && mails[0].body.contains("jan@voorbeeld.nl"))
            #expect(try await AuditEntry.query(on: app.db).filter(\.$summary ~~ ["jan@voorbeeld.nl"]).count() == 0)
            // An area without a coordinator: the municipality's general address.
            let other = "/gemeenten/oss/gebieden/schadewijk"
            #expect(try await resident.submit(other + "/vraag", to: other + "/vraag", [("vraag", "Vraag"), ("email", "jan@voorbeeld.nl")]).status == .created)
            #expect(try await OutgoingMail.query(on: app.db).filter(\.$recipient == "info@gemeente.test").count() == 1)
            // The report form names the municipality's number.
            let form = try await TestBrowser(app).get("/gemeenten/oss/melden").text
            #expect(form.contains("bel de gemeente op 14 0412"))
        }
    }
}

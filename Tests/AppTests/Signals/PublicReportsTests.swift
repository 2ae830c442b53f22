import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import Domain

@Suite("What others reported, and who handles a signal")
struct PublicReportsTests {
    @Test func theListShowsPublicSubjectsOnlyWithoutPersonalData() async throws {
        try await withApp(demoSignals: 80) { app in
            let oss = try #require(try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first())
            let publicIDs = try await SignalCategory.query(on: app.db).filter(\.$municipality.$id == oss.requireID()).filter(\.$isPublic == true).all(\.$id)
            let now = app.clock()
            let shown = try #require(try await Signal.query(on: app.db).filter(\.$category.$id ~~ publicIDs).filter(\.$state ~~ SignalJobs.openStates)
                .filter(\.$reportedAt >= now.addingTimeInterval(-SignalRules.nearbyWindow * 4)).first())
            shown.place = "Markt 1, bel 0612345678"
            try await shown.update(on: app.db)
            let hidden = try await Signal.query(on: app.db).filter(\.$category.$id !~ publicIDs).first()
            let page = try await TestBrowser(app).get("/gemeenten/oss/meldingen?status=open")
            #expect(page.status == .ok && page.text.contains(shown.trackingCode) && page.text.contains("href=\"/melding/\(shown.trackingCode)\""))
            #expect(!page.text.contains("0612345678"), "no phone numbers")
            if let hidden { #expect(!page.text.contains(hidden.trackingCode), "subjects that are not public are never listed") }
            // Per area, and the area page links to it and its map dots are links with a name.
            let area = try await Fixture.area(app, "ruwaard")
            let areaList = try await TestBrowser(app).get("/gemeenten/oss/meldingen?gebied=ruwaard").text
            #expect(areaList.contains("Meldingen in Ruwaard"))
            let areaPage = try await TestBrowser(app).get("/gemeenten/oss/gebieden/ruwaard").text
            #expect(areaPage.contains("href=\"/gemeenten/oss/meldingen?gebied=ruwaard\""))
            let dotted = try await Signal.query(on: app.db).filter(\.$area.$id == area.requireID()).filter(\.$category.$id ~~ publicIDs)
                .filter(\.$state ~~ SignalJobs.openStates).filter(\.$lat != nil).filter(\.$reportedAt >= now.addingTimeInterval(-SignalRules.nearbyWindow)).first()
            if let dotted { #expect(areaPage.contains("<a href=\"/melding/\(dotted.trackingCode)\" aria-label=\"Melding \(dotted.trackingCode):")) }
            #expect(try await TestBrowser(app).get("/gemeenten/oss/meldingen?pagina=abc").status == .ok, "a bad page number is the first page")
        }
    }

    @Test func aSignalIsAssignedOnlyToSomeoneWhoMayHandleIt() async throws {
        try await withApp(demoSignals: 20) { app in
            let oss = try #require(try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first())
            // Both demo municipalities have an "Openbare ruimte": take Oss's, where the signals are.
            let department = try #require(try await Department.query(on: app.db).filter(\.$name == "Openbare ruimte").filter(\.$municipality.$id == oss.requireID()).first())
            let officer = try await Fixture.user(app, email: "or@oss.test", role: .departmentOfficer, department: "Openbare ruimte")
            let council = try await Fixture.user(app, email: "raad@oss.test", role: .councilMember, areas: ["ruwaard"])
            try await Fixture.user(app, email: "mgr@oss.test", role: .areaManager)
            let manager = TestBrowser(app)
            _ = try await manager.login("mgr@oss.test", Fixture.password)
            let signal = try #require(try await Signal.query(on: app.db).filter(\.$municipality.$id == oss.requireID()).filter(\.$state ~~ SignalJobs.openStates).first())
            let path = "/werk/meldingen/\(signal.trackingCode)"
            let page = try await manager.get(path).text
            #expect(page.contains("name=\"behandelaar\"") && page.contains(officer.name) && !page.contains(">\(council.name)<"), "only people who may handle signals are offered")
            let refused = try await manager.submit(path, to: path + "/afdeling", [("afdeling", department.id!.uuidString), ("behandelaar", council.id!.uuidString)])
            #expect(refused.status == .unprocessableEntity)
            let ok = try await manager.submit(path, to: path + "/afdeling", [("afdeling", department.id!.uuidString), ("behandelaar", officer.id!.uuidString)])
            #expect(ok.status == .seeOther)
            let saved = try #require(try await Signal.find(signal.id, on: app.db))
            #expect(saved.assigneeID == officer.id && saved.departmentID == department.id)
            let officerBrowser = TestBrowser(app)
            _ = try await officerBrowser.login("or@oss.test", Fixture.password)
            #expect(try await officerBrowser.get("/werk/meldingen?mij=ja").text.contains(signal.trackingCode), "the officer finds it under 'assigned to me'")
        }
    }
}

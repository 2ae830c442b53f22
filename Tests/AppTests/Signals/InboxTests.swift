import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import Domain

@Suite("The inbox: search, assigned to me, export")
struct InboxTests {
    @Test func searchFindsCodesAndWordsCaseInsensitivelyWithinTheScope() async throws {
        try await withApp(demoSignals: 40) { app in
            let oss = try #require(try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first())
            let target = try #require(try await Signal.query(on: app.db).filter(\.$municipality.$id == oss.requireID()).first())
            target.text = "Een omgevallen BOOM blokkeert 50% van het fietspad_links"
            try await target.update(on: app.db)
            let admin = Actor(userID: UUID(), role: .admin, municipalityID: try oss.requireID())
            var filter = InboxQuery.Filter()
            filter.openOnly = false
            filter.search = "omgevallen boom"
            var result = try await InboxQuery.run(filter, actor: admin, municipality: try oss.requireID(), categories: [], now: app.clock(), on: app.db)
            #expect(result.signals.map(\.id) == [target.id], "words, whatever their case")
            filter.search = "50%"
            result = try await InboxQuery.run(filter, actor: admin, municipality: try oss.requireID(), categories: [], now: app.clock(), on: app.db)
            #expect(result.signals.map(\.id) == [target.id], "% is a character, not a wildcard")
            filter.search = target.trackingCode.lowercased()
            result = try await InboxQuery.run(filter, actor: admin, municipality: try oss.requireID(), categories: [], now: app.clock(), on: app.db)
            #expect(result.signals.map(\.id) == [target.id], "a tracking code")
            // Another area's coordinator does not find it.
            let elsewhere = try #require(try await Area.query(on: app.db).filter(\.$municipality.$id == oss.requireID()).filter(\.$id != (target.areaID ?? UUID())).first())
            let coordinator = Actor(userID: UUID(), role: .areaCoordinator, municipalityID: try oss.requireID(), areaIDs: [try elsewhere.requireID()])
            result = try await InboxQuery.run(filter, actor: coordinator, municipality: try oss.requireID(), categories: [], now: app.clock(), on: app.db)
            #expect(result.signals.isEmpty)
        }
    }

    @Test func assignedToMeAndTheExportHasNoPersonalData() async throws {
        try await withApp(demoSignals: 30) { app in
            let user = try await Fixture.user(app, email: "mgr@oss.test", role: .areaManager)
            let browser = TestBrowser(app)
            _ = try await browser.login("mgr@oss.test", Fixture.password)
            let signal = try #require(try await Signal.query(on: app.db).filter(\.$state ~~ SignalJobs.openStates).first())
            signal.assigneeID = user.id
            signal.text = "=HYPERLINK(\"http://evil\") bel 0612345678"
            signal.reporterEmail = "melder@voorbeeld.nl"
            try await signal.update(on: app.db)
            let mine = try await browser.get("/werk/meldingen?mij=ja").text
            #expect(mine.contains(signal.trackingCode) && mine.contains("ww-key-figures__value\">1</span>"), "only the signal assigned to me")
            let other = try #require(try await Signal.query(on: app.db).filter(\.$id != signal.requireID()).filter(\.$state ~~ SignalJobs.openStates).first())
            let listed = mine.components(separatedBy: "id=\"meldingen-titel\"").last ?? "" // the list, not the escalations above it
            #expect(!listed.contains(other.trackingCode))
            let csv = try await browser.get("/werk/meldingen/export.csv?open=nee")
            #expect(csv.status == .ok && csv.headers.contentType?.subType == "csv")
            let text = csv.body.string
            #expect(text.hasPrefix("Code,Onderwerp,Gebied,Afdeling,Status,Gemeld op,Termijn,Te laat,Omschrijving,Plaats\r\n"))
            #expect(text.contains(signal.trackingCode))
            #expect(!text.contains("melder@voorbeeld.nl") && !text.contains("0612345678"), "no personal data")
            #expect(text.contains("\"'=HYPERLINK("), "a formula is never a formula in a spreadsheet")
            #expect(try await TestBrowser(app).get("/werk/meldingen/export.csv").status == .seeOther, "staff only")
        }
    }

    @Test func changingTheSubjectRecomputesTheDeadline() async throws {
        try await withApp(demoSignals: 10) { app in
            try await Fixture.user(app, email: "mgr@oss.test", role: .areaManager)
            let manager = TestBrowser(app)
            _ = try await manager.login("mgr@oss.test", Fixture.password)
            let signal = try #require(try await Signal.query(on: app.db).filter(\.$state ~~ SignalJobs.openStates).first())
            let old = try await signal.$category.get(on: app.db)
            let target = try #require(try await SignalCategory.query(on: app.db).filter(\.$municipality.$id == signal.$municipality.id)
                .filter(\.$code == (old.code == "graffiti" ? "bestrating" : "graffiti")).first())
            let path = "/werk/meldingen/\(signal.trackingCode)"
            #expect(try await manager.submit(path, to: path + "/onderwerp", [("onderwerp", "bestaat-niet")]).status == .unprocessableEntity)
            #expect(try await manager.submit(path, to: path + "/onderwerp", [("onderwerp", target.code)]).status == .seeOther)
            let saved = try #require(try await Signal.find(signal.id, on: app.db))
            let settings = try await SignalConfiguration.load(signal.$municipality.id, on: app.db).settings
            #expect(saved.$category.id == target.id)
            #expect(saved.deadline == target.term.deadline(reportedAt: saved.reportedAt, holidays: settings.holidays))
            let event = try #require(try await SignalEvent.query(on: app.db).filter(\.$signal.$id == signal.requireID()).filter(\.$kind == .category).first())
            #expect(event.internalNote?.contains(target.nameNL) == true)
        }
    }
}

import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import Domain

@Suite("Admin: areas, the buurt mapping and classifications")
struct AreasAdminTests {
    /// The mapping form as the page fills it in, with some buurten moved.
    static func mappingForm(_ app: Application, moving changes: [String: String] = [:], dropping: String? = nil) async throws -> [(String, String)] {
        let oss = try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first()!
        let areas = try await Area.query(on: app.db).filter(\.$municipality.$id == oss.requireID()).all()
        let bySlug = Dictionary(uniqueKeysWithValues: areas.map { ($0.slug, $0.id!.uuidString) })
        let buurten = try await Neighbourhood.query(on: app.db).filter(\.$municipality.$id == oss.requireID()).all()
        var form: [(String, String)] = [("version", String(oss.mappingVersion))]
        for b in buurten {
            if b.code == dropping { form.append(("area[\(b.code)]", "")); continue }
            form.append(("area[\(b.code)]", changes[b.code].flatMap { bySlug[$0] } ?? b.$area.id!.uuidString))
        }
        return form
    }

    static func firstBuurt(_ app: Application, of slug: String) async throws -> Neighbourhood {
        let area = try await Fixture.area(app, slug)
        return try await Neighbourhood.query(on: app.db).filter(\.$area.$id == area.requireID()).sort(\.$code).first()!
    }

    @Test func movingABuurtChangesThePublicPagesAndIsAudited() async throws {
        try await withApp { app in
            let browser = try await Fixture.adminBrowser(app)
            let buurt = try await Self.firstBuurt(app, of: "ruwaard")
            let before = try await TestBrowser(app).get("/gemeenten/oss/gebieden/schadewijk").text
            #expect(!before.contains(buurt.code))
            let response = try await browser.submit("/beheer/gemeenten/oss/indeling", try await Self.mappingForm(app, moving: [buurt.code: "schadewijk"]))
            #expect(response.status == .seeOther)
            let after = try await TestBrowser(app).get("/gemeenten/oss/gebieden/schadewijk").text
            #expect(after.contains(buurt.code))
            let ruwaard = try await TestBrowser(app).get("/gemeenten/oss/gebieden/ruwaard").text
            #expect(!ruwaard.contains("(\(buurt.code))"))
            #expect(ruwaard.contains("deels in dit gebied"), "the split CBS wijk is marked")
            let entry = try #require(try await AuditEntry.query(on: app.db).filter(\.$action == "mapping.update").first())
            #expect(entry.before?.contains("Ruwaard") == true)
            #expect(entry.after?.contains("Schadewijk") == true)
            let log = try await browser.get("/beheer/logboek?soort=mapping").text
            #expect(log.contains("Indeling in gebieden gewijzigd"))
            #expect(log.contains("Logboek: 1 wijziging<"))
        }
    }

    @Test func aMappingThatLeavesABuurtWithoutAreaIsRefused() async throws {
        try await withApp { app in
            let browser = try await Fixture.adminBrowser(app)
            let buurt = try await Self.firstBuurt(app, of: "ruwaard")
            let other = try await Self.firstBuurt(app, of: "lith")
            let form = try await Self.mappingForm(app, moving: [other.code: "geffen"], dropping: buurt.code)
            let response = try await browser.submit("/beheer/gemeenten/oss/indeling", form)
            #expect(response.status == .unprocessableEntity)
            #expect(response.text.contains("Kies een gebied voor buurt \(buurt.name) (\(buurt.code))."))
            #expect(response.text.contains("href=\"#buurt-\(buurt.code)\""))
            // The other change typed is kept in the form, and nothing was saved.
            let geffen = try await Fixture.area(app, "geffen")
            #expect(response.text.contains("name=\"area[\(other.code)]\""))
            #expect(try await Neighbourhood.find(other.id, on: app.db)?.$area.id != geffen.id)
            #expect(try await Neighbourhood.find(buurt.id, on: app.db)?.$area.id != nil)
        }
    }

    @Test func aStaleMappingFormIsAConflict() async throws {
        try await withApp { app in
            let browser = try await Fixture.adminBrowser(app)
            let buurt = try await Self.firstBuurt(app, of: "ruwaard")
            let stale = try await Self.mappingForm(app, moving: [buurt.code: "herpen"])
            #expect(try await browser.submit("/beheer/gemeenten/oss/indeling", try await Self.mappingForm(app, moving: [buurt.code: "schadewijk"])).status == .seeOther)
            let response = try await browser.submit("/beheer/gemeenten/oss/indeling", stale)
            #expect(response.status == .conflict)
            #expect(response.text.contains("Iemand anders heeft de indeling net gewijzigd"))
            let schadewijk = try await Fixture.area(app, "schadewijk")
            #expect(try await Neighbourhood.find(buurt.id, on: app.db)?.$area.id == schadewijk.id, "the first change stays")
        }
    }

    @Test func areasAreCreatedRenamedAndValidated() async throws {
        try await withApp { app in
            let browser = try await Fixture.adminBrowser(app)
            let empty = try await browser.submit("/beheer/gemeenten/oss/gebieden", [("name", "  "), ("kind", "village")])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.text.contains("Vul de naam van het gebied in."))
            let taken = try await browser.submit("/beheer/gemeenten/oss/gebieden", [("name", "ruwaard"), ("kind", "neighbourhood")])
            #expect(taken.status == .unprocessableEntity)
            #expect(taken.text.contains("Er is al een gebied met de naam ruwaard."))
            #expect(taken.text.contains("value=\"ruwaard\""))
            let ok = try await browser.submit("/beheer/gemeenten/oss/gebieden", [("name", "Oss Oost"), ("kind", "neighbourhood")])
            #expect(ok.status == .seeOther)
            let area = try #require(try await Area.query(on: app.db).filter(\.$name == "Oss Oost").first())
            let renamed = try await browser.submit("/beheer/gemeenten/oss/gebieden/\(area.requireID())", [("name", "Oss-Oost"), ("kind", "village")])
            #expect(renamed.status == .seeOther)
            #expect(try await Area.find(area.id, on: app.db)?.slug == "oss-oost")
            #expect(try await AuditEntry.query(on: app.db).filter(\.$entityType == "area").count() == 2)
            // The new area appears on the public municipality page.
            #expect(try await TestBrowser(app).get("/gemeenten/oss").text.contains("Oss-Oost"))
        }
    }

    @Test func classificationsShowWhichDistrictOverlapsAnArea() async throws {
        try await withApp { app in
            let browser = try await Fixture.adminBrowser(app)
            #expect(try await browser.submit("/beheer/gemeenten/oosterhout/indelingen", [("name", "VTH-regio's"), ("owner", "VTH")]).status == .seeOther)
            let c = try #require(try await Classification.query(on: app.db).filter(\.$name == "VTH-regio's").first())
            let path = "/beheer/gemeenten/oosterhout/indelingen/\(try c.requireID())"
            #expect(try await browser.submit(path, to: path + "/groepen", [("name", "Regio Noord")]).status == .seeOther)
            let duplicate = try await browser.submit(path, to: path + "/groepen", [("name", "regio noord")])
            #expect(duplicate.status == .unprocessableEntity)
            let group = try #require(try await ClassificationGroup.query(on: app.db).filter(\.$name == "Regio Noord").first())
            let dorst = try await Fixture.area(app, "dorst", in: "GM0826")
            let buurten = try await Neighbourhood.query(on: app.db).filter(\.$area.$id == dorst.requireID()).all()
            let form = buurten.map { ("group[\($0.code)]", try! group.requireID().uuidString) }
            #expect(try await browser.submit(path, form).status == .seeOther)
            let page = try await TestBrowser(app).get("/gemeenten/oosterhout/gebieden/dorst").text
            #expect(page.contains("VTH-regio&#39;s") || page.contains("VTH-regio's"))
            #expect(page.contains("Regio Noord (\(buurten.count) buurten)"))
        }
    }
}

@Suite("Audit log shows readable changes")
struct AuditDiffTests {
    @Test func changesAreListedPerFieldWithNames() {
        let ruwaard = UUID(), schadewijk = UUID()
        let names = [ruwaard: "Ruwaard", schadewijk: "Schadewijk"]
        let changes = AuditDiff.changes(before: #"{"active":true,"areaIDs":["\#(ruwaard.uuidString)"],"name":"Wim"}"#,
                                        after: #"{"active":false,"areaIDs":["\#(ruwaard.uuidString)","\#(schadewijk.uuidString)"],"name":"Wim"}"#,
                                        names: names) { $0 == "areaIDs" ? "Gebieden" : $0 }
        #expect(changes.map(\.field) == ["active", "Gebieden"], "unchanged fields are left out")
        #expect(changes[0].before == "ja" && changes[0].after == "nee")
        #expect(changes[1].after == "Ruwaard, Schadewijk")
    }

    @Test func theLogPageShowsNamesNotIDs() async throws {
        try await withApp { app in
            let browser = try await Fixture.adminBrowser(app)
            let oss = try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first()!
            let ruwaard = try await Fixture.area(app, "ruwaard")
            #expect(try await browser.submit("/beheer/gebruikers/nieuw", [("name", "Wim"), ("email", "wim@oss.test"), ("role", "areaCoordinator"), ("municipality", try oss.requireID().uuidString),
                                                                          ("areas[]", try ruwaard.requireID().uuidString), ("password", "Wachtwoord-van-wim"), ("active", "ja")]).status == .seeOther)
            let log = try await browser.get("/beheer/logboek?soort=user").text
            #expect(log.contains("<dt>Gebieden</dt><dd>– → Ruwaard</dd>"))
            #expect(!log.contains(try ruwaard.requireID().uuidString))
        }
    }
}

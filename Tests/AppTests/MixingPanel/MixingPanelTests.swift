import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import Domain

@Suite("Mixing panel: fill in, compare, history, permissions, API")
struct MixingPanelAppTests {
    static func positions(_ values: [Int]) -> [(String, String)] {
        zip(MixingPanel.mainSliders, values).map { ("pos_\($0.0)", String($0.1)) }
    }

    static func coordinatorBrowser(_ app: Application) async throws -> TestBrowser {
        try await Fixture.user(app, email: "coordinator@oss.test", role: .areaCoordinator, areas: ["ruwaard"])
        let browser = TestBrowser(app)
        _ = try await browser.login("coordinator@oss.test", Fixture.password)
        return browser
    }

    @Test func profilesAreLoadedAndEachMatchesItself() async throws {
        try await withApp { app in
            let profiles = try await MixingPanelService.profiles(on: app.db)
            #expect(Set(profiles.keys) == Set(MixingPanel.profileOrder))
            #expect(profiles["gekantelde"]?.values.allSatisfy { $0 == 3 } == true, "the gekantelde gemeente has every slider at the maximum")
            for (code, positions) in profiles {
                #expect(MixingPanel.nearest(positions, scale: .three, profiles: profiles)?.profile == code)
            }
        }
    }

    @Test func fillInNowAndAmbitionAndSeeTheNearestProfile() async throws {
        try await withApp { app in
            let browser = try await Self.coordinatorBrowser(app)
            let now = try await browser.submit("/gemeenten/oss/mengpaneel/nieuw", [("subjectKind", "gemeente"), ("subjectName", "Oss"), ("evaluatedOn", "2026-11-01"),
                                                                                  ("variant", "nu"), ("scale", "3")] + Self.positions([1, 2, 3, 2, 1]) + [("note_communicatie", "Nog weinig.")])
            #expect(now.status == .seeOther)
            let panel = try #require(try await MixingPanelRecord.query(on: app.db).first())
            let page = try await browser.get("/gemeenten/oss/mengpaneel/\(try panel.requireID())").text
            #expect(page.contains("Dit lijkt het meest op:"))
            #expect(page.contains("Opdracht aan de wijkambtenaar"))
            #expect(page.contains("Nog weinig."))
            #expect(page.contains("role=\"img\""))
            let profiles = try await MixingPanelService.profiles(on: app.db)
            let nearest = try #require(MixingPanel.nearest(panel.positions, scale: .three, profiles: profiles))
            let name = try #require(app.mixingPanelContent.profile(nearest.profile)?.name.nl)
            #expect(page.contains(name))
            // The ambition for it.
            let ambition = try await browser.submit("/gemeenten/oss/mengpaneel/nieuw?bij=\(try panel.requireID())", to: "/gemeenten/oss/mengpaneel/nieuw",
                                                    [("evaluatedOn", "2026-11-01"), ("variant", "ambitie"), ("scale", "3"), ("currentID", try panel.requireID().uuidString)] + Self.positions([3, 3, 3, 3, 3]))
            #expect(ambition.status == .seeOther)
            let ambitionRecord = try #require(try await MixingPanelRecord.query(on: app.db).filter(\.$variant == "ambitie").first())
            #expect(ambitionRecord.currentID == panel.id)
            #expect(ambitionRecord.subjectName == "Oss")
            let side = try await browser.get("/gemeenten/oss/mengpaneel/\(try panel.requireID())").text
            #expect(side.contains("Ambitie (1 november 2026)"), "now and ambition side by side, dates as people read them")
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "mixingPanel.create").count() == 2)
        }
    }

    @Test func historyShowsWhatMovedSinceLastYear() async throws {
        try await withApp { app in
            let browser = try await Self.coordinatorBrowser(app)
            for (date, values) in [("2025-11-01", [1, 1, 1, 2, 1]), ("2026-11-01", [3, 3, 1, 2, 1])] {
                #expect(try await browser.submit("/gemeenten/oss/mengpaneel/nieuw", [("subjectKind", "team"), ("subjectName", "Team Oost"), ("evaluatedOn", date),
                                                                                   ("variant", "nu"), ("scale", "3")] + Self.positions(values)).status == .seeOther)
            }
            let latest = try #require(try await MixingPanelRecord.query(on: app.db).filter(\.$evaluatedOn == "2026-11-01").first())
            let page = try await browser.get("/gemeenten/oss/mengpaneel/\(try latest.requireID())").text
            #expect(page.contains("Sinds het vorige mengpaneel van 1 november 2025"))
            let content = app.mixingPanelContent
            #expect(page.contains(content.slider("positioneringIntern")!.name.nl + ": van laag (1 van 3) naar hoog (3 van 3)"))
            #expect(!page.contains(content.slider("communicatie")!.name.nl + ": van"))
        }
    }

    @Test func badPanelsComeBackWithTheReasonAndTheInput() async throws {
        try await withApp { app in
            let browser = try await Self.coordinatorBrowser(app)
            var form = [("subjectKind", "casus"), ("subjectName", "Dorpsplein Geffen"), ("evaluatedOn", "2026-11-01"), ("variant", "nu"), ("scale", "3")] + Self.positions([1, 2, 4, 2])
            let bad = try await browser.submit("/gemeenten/oss/mengpaneel/nieuw", form)
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("Kies een stand van 1 tot en met 3."))
            #expect(bad.text.contains("Kies een stand voor deze schuif."), "the missing fifth slider")
            #expect(bad.text.contains("value=\"Dorpsplein Geffen\""))
            form = [("evaluatedOn", "2026-11-01"), ("variant", "ambitie"), ("scale", "3")] + Self.positions([1, 2, 3, 2, 1])
            let orphan = try await browser.submit("/gemeenten/oss/mengpaneel/nieuw", form)
            #expect(orphan.status == .unprocessableEntity)
            #expect(orphan.text.contains("Vul eerst in hoe het nu is."))
            #expect(try await MixingPanelRecord.query(on: app.db).count() == 0, "nothing half-saved")
        }
    }

    @Test func onlyStaffOfTheMunicipalityMayFillIn() async throws {
        try await withApp { app in
            try await Fixture.user(app, email: "raad@oss.test", role: .councilMember, areas: ["ruwaard"])
            try await Fixture.user(app, email: "manager@oosterhout.test", role: .areaManager, municipality: "GM0826")
            let council = TestBrowser(app)
            _ = try await council.login("raad@oss.test", Fixture.password)
            #expect(try await council.get("/gemeenten/oss/mengpaneel").status == .ok, "council members read")
            #expect(try await council.get("/gemeenten/oss/mengpaneel/nieuw").status == .forbidden)
            let other = TestBrowser(app)
            _ = try await other.login("manager@oosterhout.test", Fixture.password)
            #expect(try await other.get("/gemeenten/oss/mengpaneel").status == .forbidden)
            let html = try await other.get("/gemeenten/oosterhout/mengpaneel/nieuw").text
            let response = try await other.post("/gemeenten/oss/mengpaneel/nieuw", form: [("csrf", TestBrowser.csrf(in: html)), ("subjectKind", "gemeente"), ("subjectName", "Oss"),
                                                                                        ("evaluatedOn", "2026-11-01"), ("variant", "nu"), ("scale", "3")] + Self.positions([1, 1, 1, 1, 1]))
            #expect(response.status == .forbidden)
            #expect(try await TestBrowser(app).get("/gemeenten/oss/mengpaneel").status == .seeOther, "anonymous: to the login page")
        }
    }

    struct Compared: Decodable { var nearest: String; var distances: [Distance]; struct Distance: Decodable { var profile: String; var distance: Double } }

    @Test func compareAPI() async throws {
        try await withApp { app in
            let profiles = try await MixingPanelService.profiles(on: app.db)
            let body = try JSONSerialization.data(withJSONObject: ["scale": 3, "positions": profiles["participatieve"]!])
            let response = try await app.testing().sendRequest(.POST, "/api/v1/mixing-panel/compare", headers: ["Content-Type": "application/json"], body: ByteBuffer(data: body))
            #expect(response.status == .ok)
            let result = try JSONDecoder().decode(Compared.self, from: Data(response.body.readableBytesView))
            #expect(result.nearest == "participatieve")
            #expect(result.distances.count == 5)
            #expect(result.distances[0].distance == 0)
            let bad = try JSONSerialization.data(withJSONObject: ["scale": 3, "positions": ["positioneringIntern": 7]])
            let rejected = try await app.testing().sendRequest(.POST, "/api/v1/mixing-panel/compare", headers: ["Content-Type": "application/json"], body: ByteBuffer(data: bad))
            #expect(rejected.status == .unprocessableEntity)
            let garbage = try await app.testing().sendRequest(.POST, "/api/v1/mixing-panel/compare", headers: ["Content-Type": "application/json"], body: ByteBuffer(string: "{niet json"))
            #expect(garbage.status == .badRequest)
            let list = try await TestBrowser(app).get("/api/v1/mixing-panel/profiles")
            #expect(list.status == .ok)
            #expect(list.text.contains("gekantelde"))
        }
    }

    @Test func adminAdjustsProfilePositions() async throws {
        try await withApp { app in
            let admin = try await Fixture.adminBrowser(app)
            let html = try await admin.get("/beheer/mengpaneel-profielen").text
            var form = [("csrf", TestBrowser.csrf(in: html))]
            let profiles = try await MixingPanelService.profiles(on: app.db)
            for code in MixingPanel.profileOrder { for slider in MixingPanel.mainSliders { form.append(("\(code)_\(slider)", String(profiles[code]![slider]!))) } }
            form = form.map { $0.0 == "ontwikkelende_communicatie" ? ($0.0, "2") : $0 }
            #expect(try await admin.post("/beheer/mengpaneel-profielen", form: form).status == .seeOther)
            #expect(try await MixingPanelService.profiles(on: app.db)["ontwikkelende"]?["communicatie"] == 2)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "mixingPanel.profiles").count() == 1)
            let bad = form.map { $0.0 == "gekantelde_communicatie" ? ($0.0, "9") : $0 }
            #expect(try await admin.post("/beheer/mengpaneel-profielen", form: bad).status == .unprocessableEntity)
            let municipal = try await Fixture.adminBrowser(app, municipality: "GM0828")
            #expect(try await municipal.get("/beheer/mengpaneel-profielen").status == .forbidden)
        }
    }
}

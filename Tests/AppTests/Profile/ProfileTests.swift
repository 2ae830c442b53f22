import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import Domain

@Suite("Area profile: CBS import, profile pages, notes, ranking")
struct AreaProfileTests {
    static let now = Date(timeIntervalSince1970: 1_795_435_200) // 23 November 2026

    @Test func theDemoProfileAddsUpTheAreasWijkenPerYearAndNeverInventsAYear() async throws {
        try await withApp(now: Self.now) { app in
            let m = try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first()!
            let s = try await app.areaDirectory.snapshot(for: m, on: app.db)
            let area = s.areas.first { !$0.figures.wholeDistricts.isEmpty && $0.figures.splitDistricts.isEmpty }!
            let expected2024 = try await CBSFigure.query(on: app.db).filter(\.$year == 2024).filter(\.$indicator == "inhabitants")
                .filter(\.$code ~~ area.figures.wholeDistricts).all().compactMap(\.value).reduce(0, +)
            let expected2022 = try await CBSFigure.query(on: app.db).filter(\.$year == 2022).filter(\.$indicator == "inhabitants")
                .filter(\.$code ~~ area.figures.wholeDistricts).all().compactMap(\.value).reduce(0, +)
            #expect(expected2024 > 0 && expected2022 > 0)
            let page = try await TestBrowser(app).get("/gemeenten/oss/gebieden/\(area.slug)/profiel")
            #expect(page.status == .ok)
            #expect(page.text.contains(Format.number(Int(expected2024), .nl)) && page.text.contains(Format.number(Int(expected2022), .nl)))
            #expect(page.text.contains("90.376"), "the municipality's 2017 figure is shown")
            #expect(page.text.contains("<svg") && page.text.contains("ww-chart--line"), "a trend where two years have figures")
            #expect(page.text.contains("Vergelijkbare gebieden"), "compared with the areas most like it")
            // 2017 and 2019 have no wijk figures: the area shows "–" for those years, never a number.
            let inhabitantsTable = page.text.components(separatedBy: "id=\"inhabitants\"")[1].components(separatedBy: "</section>")[0]
            #expect(inhabitantsTable.contains("<th scope=\"row\">2017</th><td>–</td>"))
            // Open data: CSV and JSON with source and year.
            let csv = try await TestBrowser(app).get("/gemeenten/oss/gebieden/\(area.slug)/profiel.csv")
            #expect(csv.headers.contentType?.subType == "csv" && csv.text.hasPrefix("Cijfer,Sleutel,Jaar,Gebied,Gemeente,Eenheid,Bron\r\n"))
            #expect(csv.text.contains(",inhabitants,2024,\(expected2024),94634.0,count,CBS Kerncijfers wijken en buurten 2024"))
            let api = try await TestBrowser(app).get("/api/v1/areas/\(area.id.uuidString)/profile")
            let json = try JSONSerialization.jsonObject(with: Data(api.body.readableBytesView)) as! [String: Any]
            let figures = json["figures"] as! [[String: Any]]
            #expect(figures.contains { $0["indicator"] as? String == "inhabitants" && $0["year"] as? Int == 2024 && $0["area"] as? Double == expected2024 })
            #expect(figures.contains { $0["indicator"] as? String == "inhabitants" && $0["year"] as? Int == 2017 && $0["area"] == nil && $0["municipality"] as? Double == 90_376 })
            #expect(try await TestBrowser(app).get("/gemeenten/oss/gebieden/\(area.slug)").text.contains("Bekijk het gebiedsprofiel"))
        }
    }

    @Test func theImportIsAllOrNothingIdempotentAndReadsTheWholeCountry() async throws {
        try await withApp(demo: true) { app in
            // A country-size file in the kwb-YYYY dialect: 342 municipalities, ~17,000 regions; two of them known.
            var lines = ["gwb_code_10;regio;a_inw;a_woning;p_koopw;g_woz"]
            var random = SeededRandom(seed: 5)
            for g in 1...342 {
                let gm = String(format: "%04d", g == 1 ? 828 : (g == 2 ? 826 : 1000 + g))
                lines.append("GM\(gm);Gemeente \(g);\(Int.random(in: 1000...900_000, using: &random));.;55;280")
                for w in 0..<9 {
                    lines.append("WK\(gm)\(String(format: "%02d", w));Wijk;\(Int.random(in: 100...20_000, using: &random));\(Int.random(in: 50...9_000, using: &random));60;.")
                    for b in 0..<4 { lines.append("BU\(gm)\(String(format: "%02d%02d", w, b));Buurt;.;.;.;.") }
                }
            }
            let text = lines.joined(separator: "\n") + "\n"
            let before = try await CBSFigure.query(on: app.db).count()
            let outcome = try await CBSImport.run(text, year: 2023, on: app.db)
            #expect(outcome.years == [2023] && outcome.regions == 2 * 46 && outcome.skippedRegions == 340 * 46)
            let after = try await CBSFigure.query(on: app.db).count()
            #expect(after - before == 2 * 46 * 4)
            #expect(try await CBSFigure.query(on: app.db).filter(\.$code == "GM0828").filter(\.$year == 2023).filter(\.$indicator == "dwellings").first()?.value == nil,
                    "a CBS '.' is no figure, never 0")
            // Again: the same figures, not twice.
            _ = try await CBSImport.run(text, year: 2023, on: app.db)
            #expect(try await CBSFigure.query(on: app.db).count() == after)
            // One bad row: a report with its line, nothing imported.
            let bad = text.replacingOccurrences(of: "GM0828;Gemeente 1;", with: "GM0828;Gemeente 1;veel;").replacingOccurrences(of: "a_inw;a_woning", with: "a_inw;extra;a_woning")
            await #expect(throws: CBSImport.Failure.self) { _ = try await CBSImport.run(bad.replacingOccurrences(of: "BU08280000;Buurt", with: "XX;Buurt"), year: 2024, on: app.db) }
            do {
                _ = try await CBSImport.run("regiocode,a_inw\nWK082800,10\nWK082801,veel\n", year: 2025, on: app.db)
                Issue.record("a bad file was imported")
            } catch let failure as CBSImport.Failure {
                #expect(failure.problems.map(\.line) == [3])
            }
            #expect(try await CBSFigure.query(on: app.db).filter(\.$year ~~ [2024, 2025]).filter(\.$code == "WK082800").filter(\.$indicator == "inhabitants").count() == 1,
                    "only the demo's 2024 figure; nothing of the failed imports")
        }
    }

    @Test func professionalsAddNotesInternalUnlessPublished() async throws {
        try await withApp(now: Self.now) { app in
            try await Fixture.user(app, email: "wijk@ruwaard.test", role: .areaCoordinator, areas: ["ruwaard"])
            let coordinator = TestBrowser(app)
            _ = try await coordinator.login("wijk@ruwaard.test", Fixture.password)
            let page = "/gemeenten/oss/gebieden/ruwaard/profiel"
            let bad = try await coordinator.submit(page, to: page + "/notities", [("tekst", "Veel jongeren op straat")])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("Veel jongeren op straat") && bad.text.contains("Kies uw rol"))
            #expect(try await coordinator.submit(page, to: page + "/notities", [("rol", "communityPolice"), ("tekst", "Overlast bij het winkelcentrum neemt af")]).status == .seeOther)
            #expect(try await coordinator.submit(page, to: page + "/notities", [("rol", "welfare"), ("tekst", "Meer eenzaamheid bij ouderen, bel 06-12345678"), ("openbaar", "ja")]).status == .seeOther)
            let publicPage = try await TestBrowser(app).get(page).text
            #expect(!publicPage.contains("winkelcentrum") && publicPage.contains("Meer eenzaamheid bij ouderen") && !publicPage.contains("12345678"))
            #expect(try await coordinator.get(page).text.contains("winkelcentrum"), "staff of the area see internal notes")
            // Someone without work in the area cannot add one.
            try await Fixture.user(app, email: "ander@lith.test", role: .areaCoordinator, areas: ["lith"])
            let other = TestBrowser(app)
            _ = try await other.login("ander@lith.test", Fixture.password)
            let token = TestBrowser.csrf(in: try await other.get("/gemeenten/oss/gebieden/lith/profiel").text)
            #expect(try await other.post(page + "/notities", form: [("csrf", token), ("rol", "other"), ("tekst", "x")]).status == .forbidden)
        }
    }

    @Test func theRankingShowsEveryContributionAndTheManagerSetsIt() async throws {
        try await withApp(now: Self.now) { app in
            let anyone = TestBrowser(app)
            let none = try await anyone.get("/gemeenten/oss/rangorde")
            #expect(none.status == .ok && none.text.contains("nog geen rangorde"))
            let trial = try await anyone.get("/gemeenten/oss/rangorde?gewicht-lowIncome=2&gewicht-labourParticipation=1")
            #expect(trial.status == .ok && trial.text.contains("proef met uw eigen gewichten") && trial.text.contains("Lage inkomens") && trial.text.contains("67 %"))
            #expect(!trial.text.contains("Deze gewichten vaststellen"), "only a manager may set it")
            let bad = try await anyone.get("/gemeenten/oss/rangorde?gewicht-lowIncome=veel")
            #expect(bad.text.contains("Schrijf het gewicht als getal"))
            try await Fixture.user(app, email: "manager@oss.test", role: .areaManager)
            let manager = TestBrowser(app)
            _ = try await manager.login("manager@oss.test", Fixture.password)
            let query = "/gemeenten/oss/rangorde?gewicht-lowIncome=2&gewicht-labourParticipation=1"
            #expect(try await manager.get(query).text.contains("Deze gewichten vaststellen"))
            #expect(try await manager.submit(query, to: "/gemeenten/oss/rangorde", [("gewicht-lowIncome", "2"), ("gewicht-labourParticipation", "1")]).status == .seeOther)
            let official = try await anyone.get("/gemeenten/oss/rangorde").text
            #expect(official.contains("de rangorde die de gemeente heeft vastgesteld"))
            let api = try await anyone.get("/api/v1/municipalities/GM0828/ranking")
            let json = try JSONSerialization.jsonObject(with: Data(api.body.readableBytesView)) as! [String: Any]
            let areas = json["areas"] as! [[String: Any]]
            #expect((json["terms"] as! [Any]).count == 2 && areas.count == 11)
            let first = areas[0]
            #expect(first["rank"] as? Int == 1 && (first["contributions"] as! [String: Double]).keys.sorted() == ["labourParticipation", "lowIncome"])
            let scores = areas.compactMap { $0["score"] as? Double }
            #expect(scores == scores.sorted(by: >), "highest need first")
            try await Fixture.user(app, email: "c@oss.test", role: .areaCoordinator, areas: ["lith"])
            let coordinator = TestBrowser(app)
            _ = try await coordinator.login("c@oss.test", Fixture.password)
            let token = TestBrowser.csrf(in: try await coordinator.get(query).text)
            #expect(try await coordinator.post("/gemeenten/oss/rangorde", form: [("csrf", token), ("gewicht-lowIncome", "1")]).status == .forbidden)
        }
    }

    @Test func theMapByIndicatorAndItsGeoJSON() async throws {
        try await withApp(now: Self.now) { app in
            let page = try await TestBrowser(app).get("/gemeenten/oss/kaart?cijfer=inhabitants")
            #expect(page.status == .ok && page.text.contains("ww-map__area--q4") && page.text.contains("Legenda"))
            #expect(page.text.contains("aria-label=\"Ruwaard:"), "each area a link with its figure in its name")
            let unknown = try await TestBrowser(app).get("/gemeenten/oss/kaart?cijfer=onzin")
            #expect(unknown.status == .ok && unknown.text.contains("Inwoners"), "an unknown choice falls back to inhabitants")
            let geo = try await TestBrowser(app).get("/gemeenten/oss/kaart.geojson?cijfers=inhabitants,lowIncome")
            #expect(geo.headers.contentType?.subType == "geo+json")
            let json = try JSONSerialization.jsonObject(with: Data(geo.body.readableBytesView)) as! [String: Any]
            let features = json["features"] as! [[String: Any]]
            #expect(features.count == 11 && features.allSatisfy { ($0["properties"] as! [String: Any]).keys.contains("lowIncome") })
            #expect(try await TestBrowser(app).get("/gemeenten/oss/kaart.geojson?cijfers=onzin").status == .badRequest)
        }
    }

    @Test func surveysShowTooFewAnswersInsteadOfAFigureAndReachIsCountedPerChannel() async throws {
        try await withApp(now: Self.now) { app in
            let m = try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first()!
            let bad = "gebied,jaar,indicator,waarde,respondenten,bron\nruwaard,2025,feelsSafe,81,,Veiligheidsmonitor\n"
            do {
                _ = try await SurveyImport.run(bad, municipality: m, on: app.db, directory: app.areaDirectory)
                Issue.record("a figure without sample size was imported")
            } catch let failure as SurveyImport.Failure {
                #expect(failure.problems.map(\.line) == [2] && failure.problems[0].key == "survey.problem.respondents")
            }
            let unknown = "gebied,jaar,indicator,waarde,respondenten\nnergenshuizen,2025,feelsSafe,81,300\nruwaard,2025,geluk,7,300\n"
            await #expect(throws: SurveyImport.Failure.self) { _ = try await SurveyImport.run(unknown, municipality: m, on: app.db, directory: app.areaDirectory) }
            #expect(try await SurveyFigure.query(on: app.db).count() == 0, "nothing half-imported")
            let good = "gebied,jaar,indicator,waarde,respondenten,bron\nRuwaard,2025,feelsSafe,81,412,Veiligheidsmonitor 2025\nruwaard,2025,socialCohesion,6.4,12,Buurtenquête\n"
            #expect(try await SurveyImport.run(good, municipality: m, on: app.db, directory: app.areaDirectory) == 2)
            #expect(try await SurveyImport.run(good, municipality: m, on: app.db, directory: app.areaDirectory) == 2)
            #expect(try await SurveyFigure.query(on: app.db).count() == 2, "idempotent")
            let page = try await TestBrowser(app).get("/gemeenten/oss/gebieden/ruwaard/profiel").text
            #expect(page.contains("81 %") && page.contains("Veiligheidsmonitor 2025"))
            #expect(page.contains("te weinig antwoorden (minder dan 30)") && !page.contains("6,4"), "12 respondents: no figure")
            #expect(page.contains("Wie doet mee") && page.contains("Meldingen via de website"))
        }
    }
}

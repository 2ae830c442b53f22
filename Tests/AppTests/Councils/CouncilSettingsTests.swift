import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import Domain

@Suite("Councils: settings per municipality", .serialized)
struct CouncilSettingsTests {
    static let now = Date(timeIntervalSince1970: 1_795_435_200) // 23 November 2026

    @Test func termStartAnswerTermAndWeightsAreConfigurable() async throws {
        try await withApp(now: Self.now) { app in
            let admin = try await Fixture.adminBrowser(app, municipality: "GM0828")
            let path = "/beheer/gemeenten/oss/raden"
            let bad = try await admin.submit(path, [("termStart", "2026-04-01"), ("answerDays", "3"), ("councilWeight", "0"), ("themeGroupWeight", "0")])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("value=\"3\""))
            #expect(try await admin.submit(path, [("termStart", "2026-04-01"), ("answerDays", "56"), ("councilWeight", "1"), ("themeGroupWeight", "1")]).status == .seeOther)
            let oss = try #require(try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first())
            let s = try await CouncilSettings.load(try oss.requireID(), on: app.db)
            #expect(s.termMonth == 4 && s.answerDays == 56 && s.councilWeight == 1)
            #expect(try await TestBrowser(app).get("/gemeenten/oss/gebieden/ruwaard/raad").text.contains("Huidige termijn: 1 april 2026 tot 1 april 2030"))
            let area = try await TestBrowser(app).get("/gemeenten/oss/adviezen?gebied=ruwaard").text
            #expect(area.contains("Adviezen van de raad in Ruwaard") && area.contains("Wijkraad Ruwaard") && !area.contains("Wijkraad Schadewijk"))
            #expect(try await TestBrowser(app).get("/gemeenten/oss/adviezen?gebied=bestaat-niet").status == .notFound)
            let other = try await Fixture.adminBrowser(app, municipality: "GM0826")
            #expect(try await other.get(path).status == .forbidden)
        }
    }
}

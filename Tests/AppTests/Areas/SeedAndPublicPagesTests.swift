import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import Domain

@Suite("Demo data and public pages")
struct SeedAndPublicPagesTests {
    @Test func seedLoadsEveryWijkAndBuurtOfBothMunicipalities() async throws {
        try await withApp { app in
            let oss = try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first()!
            let oosterhout = try await Municipality.query(on: app.db).filter(\.$code == "GM0826").first()!
            #expect(try await District.query(on: app.db).filter(\.$municipality.$id == oss.requireID()).count() == 23)
            #expect(try await Neighbourhood.query(on: app.db).filter(\.$municipality.$id == oss.requireID()).count() == 106)
            #expect(try await District.query(on: app.db).filter(\.$municipality.$id == oosterhout.requireID()).count() == 14)
            #expect(try await Neighbourhood.query(on: app.db).filter(\.$municipality.$id == oosterhout.requireID()).count() == 44)
            let ruwaard = try await District.query(on: app.db).filter(\.$code == "WK082806").first()!
            #expect(ruwaard.name == "Ruwaard")
            #expect(ruwaard.inhabitants == 13_595)
            #expect(oss.inhabitants == 94_634)
            #expect(try await Area.query(on: app.db).filter(\.$municipality.$id == oss.requireID()).count() == 11)
            #expect(try await Area.query(on: app.db).filter(\.$municipality.$id == oosterhout.requireID()).count() == 14)
            #expect(try await Neighbourhood.query(on: app.db).filter(\.$area.$id == nil).count() == 0, "every buurt belongs to an area")
            let villages = try await Area.query(on: app.db).filter(\.$municipality.$id == oss.requireID()).filter(\.$kind == .village).count()
            #expect(villages == 6)
        }
    }

    @Test func seedingTwiceChangesNothing() async throws {
        try await withApp { app in
            let seeded = try await AreaSeeder(seedDirectory: app.directory.resourcesDirectory + "Seed/").seedIfEmpty(on: app.db)
            #expect(!seeded)
            #expect(try await Neighbourhood.query(on: app.db).count() == 150)
        }
    }

    @Test func homeListsMunicipalities() async throws {
        try await withApp { app in
            let page = try await TestBrowser(app).get("/")
            #expect(page.status == .ok)
            #expect(page.text.contains("<html lang=\"nl\""))
            #expect(page.text.contains("href=\"/gemeenten/oss\""))
            #expect(page.text.contains("href=\"/gemeenten/oosterhout\""))
            #expect(page.text.contains("94.634 inwoners"))
        }
    }

    @Test func municipalityPageHasAMapWithEveryAreaAndATable() async throws {
        try await withApp { app in
            let html = try await TestBrowser(app).get("/gemeenten/oss").text
            #expect(html.components(separatedBy: "class=\"ww-map__link\"").count - 1 == 11)
            #expect(html.contains("role=\"group\""))
            #expect(html.contains("<title id=\"kaart-t\">"))
            #expect(html.contains("aria-label=\"Ruwaard (Wijk), 13.595 inwoners\""))
            #expect(html.contains(">Gebieden van gemeente Oss</caption>"))
            #expect(html.contains("<title>Gemeente Oss – Wijkwerk</title>"))
            #expect(html.contains("Bron: CBS"))
        }
    }

    @Test func areaPageShowsFiguresBuurtenAndContacts() async throws {
        try await withApp { app in
            try await Fixture.user(app, email: "coordinator@oss.test", role: .areaCoordinator, areas: ["ruwaard"])
            let html = try await TestBrowser(app).get("/gemeenten/oss/gebieden/ruwaard").text
            #expect(html.contains("<h1>Ruwaard</h1>"))
            #expect(html.contains("13.595"))
            #expect(html.contains("Coordinator"), "the coordinator's name is listed")
            #expect(html.contains("Nog niet bekend"), "no alderman assigned yet")
            #expect(html.contains("(BU0828"))
            #expect(html.contains("IBOR-districten (voorbeeld)"))
            #expect(!html.contains("coordinator@oss.test"), "no e-mail addresses on public pages")
        }
    }

    @Test func englishOnRequestAndRemembered() async throws {
        try await withApp { app in
            let browser = TestBrowser(app)
            let first = try await browser.get("/gemeenten/oss?lang=en")
            #expect(first.text.contains("<html lang=\"en\""))
            #expect(first.text.contains("Municipality of Oss"))
            let next = try await browser.get("/gemeenten/oss/gebieden/ruwaard")
            #expect(next.text.contains("<html lang=\"en\""), "the lang cookie keeps English")
            let viaHeader = try await TestBrowser(app).get("/", headers: ["Accept-Language": "en-GB,en;q=0.9"])
            #expect(viaHeader.text.contains("<html lang=\"en\""))
        }
    }

    @Test func unknownPagesAre404InTheUsersLanguage() async throws {
        try await withApp { app in
            let nl = try await TestBrowser(app).get("/gemeenten/atlantis")
            #expect(nl.status == .notFound)
            #expect(nl.text.contains("Gemeente &#39;atlantis&#39; bestaat niet") || nl.text.contains("Gemeente 'atlantis' bestaat niet"))
            let en = try await TestBrowser(app).get("/gemeenten/oss/gebieden/nergens", headers: ["Accept-Language": "en"])
            #expect(en.status == .notFound)
            #expect(en.text.contains("This area does not exist"))
            let nowhere = try await TestBrowser(app).get("/bestaat/niet")
            #expect(nowhere.status == .notFound)
            #expect(nowhere.text.contains("Pagina niet gevonden"))
        }
    }

    @Test func footerPagesExist() async throws {
        try await withApp { app in
            for path in ["/toegankelijkheid", "/privacy", "/cookies", "/contact"] {
                let page = try await TestBrowser(app).get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(page.text.contains("href=\"/toegankelijkheid\""))
            }
        }
    }
}

import Foundation
import Testing
import VaporTesting
import Vapor
import Fluent
import SQLKit
@testable import App
@testable import Domain

/// Monday 23 November 2026, 10:00 in the Netherlands.
private let monday = DutchTime.calendar.date(from: DateComponents(year: 2026, month: 11, day: 23, hour: 10))!
private let formPage = "/gemeenten/oss/melden/formulier?categorie=straatverlichting&gebied=ruwaard"
private let formAction = "/gemeenten/oss/melden/formulier?gebied=ruwaard"

/// A point in the middle of Ruwaard (the same point a click in the middle of Ruwaard's map gives).
private func ruwaardPoint(_ app: Application) async throws -> Position {
    let s = try await app.areaDirectory.snapshot(for: try #require(try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first()), on: app.db)
    let box = try #require(s.area(slug: "ruwaard")).outline.boundingBox!
    return SignalMapImage.projection(box).position(x: 300, y: 180)
}

/// An address register as a municipality exports it: three addresses in Ruwaard, one in Amsterdam, one bad row.
private func registerFile(_ p: Position, street: String = "Teststraat") -> String {
    """
    postcode;huisnummer;huisletter;toevoeging;straat;woonplaats;lat;lon
    5345 AB;12;;;\(street);Oss;\(p.lat);\(p.lon)
    5345AB;14;a;;\(street);Oss;\(p.lat + 0.0001);\(p.lon)
    5345AB;14;b;;\(street);Oss;\(p.lat + 0.0002);\(p.lon)
    1016AA;1;;;Prinsengracht;Amsterdam;52.3730;4.8924
    5345AB;zestien;;;\(street);Oss;\(p.lat);\(p.lon)
    """
}

private func value(_ name: String, in html: String) -> String? {
    guard let range = html.range(of: "id=\"\(name)\" name=\"\(name)\" value=\"([^\"]*)\"", options: .regularExpression) else { return nil }
    return String(html[range]).components(separatedBy: "value=\"")[1].dropLast().description
}

private func search(_ browser: TestBrowser, _ text: String, extra: [(String, String)] = []) async throws -> TestingHTTPResponse {
    try await browser.submit(formPage, to: formAction, [("categorie", "straatverlichting"), ("omschrijving", "Lamp kapot"), ("adres", text), ("zoek", "ja")] + extra)
}

/// A local server that answers like PDOK's Locatieserver (`/search/v3_1/free`), as documented: `response.docs`.
private func withLocatieserver(answer: @escaping @Sendable (String) -> (HTTPStatus, String), _ body: (String) async throws -> Void) async throws {
    let server = try await Application.make(.testing)
    server.http.server.configuration.hostname = "127.0.0.1"
    server.http.server.configuration.port = 0
    server.get("search", "v3_1", "free") { req -> Response in
        guard req.query[String.self, at: "fq"] != nil, req.url.query?.contains("fq=type:adres") == true else { return Response(status: .badRequest) }
        let (status, json) = answer(req.query[String.self, at: "q"] ?? "")
        return Response(status: status, headers: ["Content-Type": "application/json"], body: .init(string: json))
    }
    try server.server.start()
    let port = server.http.server.shared.localAddress?.port ?? 0
    do { try await body("http://127.0.0.1:\(port)/search/v3_1/free") } catch { await server.server.shutdown(); try await server.asyncShutdown(); throw error }
    await server.server.shutdown()
    try await server.asyncShutdown()
}

@Suite("The report's place: address search, kept photos, already reported", .serialized)
struct ReportPlaceTests {
    @Test func theImportedRegisterFindsAddressesAndIsIdempotent() async throws {
        try await withApp(now: monday) { app in
            let p = try await ruwaardPoint(app)
            let locator = try await app.areaDirectory.locator(on: app.db)
            let first = try await AddressRegister.importFile(registerFile(p), on: app.db, locator: locator)
            #expect(first.imported == 4 && first.outside == 1)
            #expect(first.problems.map(\.line) == [6] && first.problems[0].key == "address.problem.number")
            let again = try await AddressRegister.importFile(registerFile(p, street: "Nieuwe Teststraat"), on: app.db, locator: locator)
            #expect(again.imported == 4)
            let sql = app.db as! any SQLDatabase
            struct N: Decodable { var n: Int }
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM addresses").first(decoding: N.self)?.n == 4, "a second import updates, it does not add")

            let browser = TestBrowser(app)
            // One match: the place, buurt and point are filled in, the typed description kept, the reader brought back to "where".
            let one = try await search(browser, "5345 ab 12")
            #expect(one.status == .ok)
            #expect(one.text.contains("Gevonden: Nieuwe Teststraat 12, 5345 AB Oss") && one.text.contains(">Lamp kapot</textarea>"))
            #expect(one.text.contains("formaction=\"/gemeenten/oss/melden/formulier?gebied=ruwaard#waar\""))
            let lat = try #require(value("lat", in: one.text)), lon = try #require(value("lon", in: one.text))
            #expect(abs(Double(lat)! - p.lat) < 1e-5 && abs(Double(lon)! - p.lon) < 1e-5)
            #expect(one.text.contains("selected>"), "the buurt is chosen")
            // Several: offered to choose from; choosing one fills it in.
            let several = try await search(browser, "Nieuwe Teststraat 14")
            #expect(several.status == .ok && several.text.contains("Kies het juiste adres") && several.text.contains("Nieuwe Teststraat 14A, 5345 AB Oss"))
            let chosen = try await browser.submit(formPage, to: formAction, [("categorie", "straatverlichting"), ("omschrijving", "x"), ("adres_keuze", "5345AB 14-B")])
            #expect(chosen.text.contains("Gevonden: Nieuwe Teststraat 14B"))
            // Not found, elsewhere, unreadable: a message at the field, what was typed kept, nothing stored.
            let unknown = try await search(browser, "Bestaatnietstraat 3")
            #expect(unknown.status == .unprocessableEntity && unknown.text.contains("niet gevonden in de gemeente Oss") && unknown.text.contains("value=\"Bestaatnietstraat 3\""))
            #expect(unknown.text.contains("Adres zoeken: Dit adres is niet gevonden"), "the error summary names the field")
            let elsewhere = try await search(browser, "1016 AA 1")
            #expect(elsewhere.status == .unprocessableEntity && elsewhere.text.contains("ligt niet in de gemeente Oss"))
            let garbage = try await search(browser, "12345")
            #expect(garbage.status == .unprocessableEntity && garbage.text.contains("Vul een postcode met huisnummer in"))
            browser.language = "en"
            #expect(try await search(browser, "12345").text.contains("Enter a postcode with house number"))
            browser.language = nil
            // The same search as JSON for apps.
            let api = try await browser.get("/api/v1/addresses?q=5345+AB+14&municipality=GM0828")
            #expect(api.status == .ok && api.text.contains("\"label\":\"Nieuwe Teststraat 14A, 5345 AB Oss\"") && api.text.contains("\"slug\":\"ruwaard\""))
            #expect(try await browser.get("/api/v1/addresses?q=12345&municipality=GM0828").status == .badRequest)
            #expect(try await browser.get("/api/v1/addresses?q=5345+AB+12").status == .badRequest)
            #expect(try await browser.get("/api/v1/addresses?q=5345+AB+12&municipality=GM9999").status == .notFound)
            let amsterdam = try await browser.get("/api/v1/addresses?q=1016+AA+1&municipality=oss")
            let answer = try JSONSerialization.jsonObject(with: Data(amsterdam.text.utf8)) as? [String: Any]
            #expect((answer?["matches"] as? [Any])?.isEmpty == true && answer?["more"] as? Bool == false, "an address in another municipality: no matches")
            // The filled-in point reports: the signal lies in Ruwaard with its buurt.
            let sent = try await browser.submit(formPage, to: formAction, [("categorie", "straatverlichting"), ("omschrijving", "Lamp kapot"), ("vraag_hoeveel", "Eén"),
                                                                           ("plaats", "Nieuwe Teststraat 12, 5345 AB Oss"), ("lat", lat), ("lon", lon)])
            #expect(sent.status == .seeOther)
            let signal = try #require(try await Signal.query(on: app.db).filter(\.$demo == false).first())
            #expect(signal.areaID == (try await Fixture.area(app, "ruwaard")).id && signal.neighbourhoodID != nil)
        }
    }

    @Test func theNationalServiceIsUsedWithoutARegister() async throws {
        try await withApp(now: monday) { app in
            let p = try await ruwaardPoint(app)
            try await withLocatieserver(answer: { q in
                q.contains("12") ? (.ok, """
                    {"response":{"numFound":1,"start":0,"docs":[{"type":"adres","weergavenaam":"Kerkstraat 12, 5345AB Oss","straatnaam":"Kerkstraat",
                    "huisnummer":12,"postcode":"5345AB","woonplaatsnaam":"Oss","centroide_ll":"POINT(\(p.lon) \(p.lat))"}]}}
                    """) : (.internalServerError, "{}")
            }) { url in
                app.config.geocoderURL = url
                let browser = TestBrowser(app)
                let found = try await search(browser, "Kerkstraat 12")
                #expect(found.status == .ok && found.text.contains("Gevonden: Kerkstraat 12, 5345 AB Oss"))
                let down = try await search(browser, "Kerkstraat 13")
                #expect(down.status == .unprocessableEntity && down.text.contains("Adressen zoeken lukt nu niet"), "a failing service is said, never a 500")
            }
            app.config.geocoderURL = "http://127.0.0.1:9/search"
            #expect(try await search(TestBrowser(app), "Kerkstraat 12").text.contains("Adressen zoeken lukt nu niet"), "nobody listening")
            app.config.geocoderURL = nil
            let form = try await TestBrowser(app).get(formPage)
            #expect(!form.text.contains("name=\"adres\""), "without a register or a service there is no address search")
        }
    }

    @Test func aChosenPhotoSurvivesTheMapAndTheAddressSearch() async throws {
        try await withApp(now: monday) { app in
            let browser = TestBrowser(app)
            let html = try await browser.get(formPage).text
            let jpeg = Data([0xFF, 0xD8, 0xFF, 0xDB, 0x00, 0x04, 0x01, 0x02, 0xFF, 0xDA, 0x00, 0x03, 0x00, 0x11, 0x22, 0xFF, 0xD9])
            var (headers, body) = Multipart.body([("csrf", TestBrowser.csrf(in: html)), ("categorie", "straatverlichting"), ("omschrijving", "Lamp"),
                                                  ("kaart.x", "300"), ("kaart.y", "180")],
                                                 file: .init(field: "foto", filename: "lamp.jpg", contentType: "image/jpeg", data: jpeg))
            headers.replaceOrAdd(name: .cookie, value: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
            let picked = try await app.testing().sendRequest(.POST, formAction, headers: headers, body: body)
            #expect(picked.status == .ok && picked.body.string.contains("Uw foto (1 kB) is bewaard"))
            let token = try #require(TestBrowser.hidden("foto_bewaard", in: picked.body.string))
            let lat = try #require(value("lat", in: picked.body.string)), lon = try #require(value("lon", in: picked.body.string))
            // A mistake on the next send keeps the photo too.
            let mistake = try await browser.submit(formPage, to: formAction, [("categorie", "straatverlichting"), ("omschrijving", ""), ("foto_bewaard", token), ("lat", lat), ("lon", lon)])
            #expect(mistake.status == .unprocessableEntity && TestBrowser.hidden("foto_bewaard", in: mistake.text) == token)
            let sent = try await browser.submit(formPage, to: formAction, [("categorie", "straatverlichting"), ("omschrijving", "Lamp"), ("vraag_hoeveel", "Eén"),
                                                                           ("foto_bewaard", token), ("lat", lat), ("lon", lon)])
            #expect(sent.status == .seeOther)
            let signal = try #require(try await Signal.query(on: app.db).filter(\.$demo == false).first())
            #expect(signal.hasPhoto)
            let sql = app.db as! any SQLDatabase
            struct N: Decodable { var n: Int }
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM report_photo_holds").first(decoding: N.self)?.n == 0, "a reported photo is not kept twice")
            // A kept photo that is never reported goes after two hours; a token that was made up finds nothing.
            let held = try await ReportPhotoHold.keep(jpeg, at: monday, on: app.db)
            #expect(try await ReportPhotoHold.find(held.token, at: monday.addingTimeInterval(3600), on: app.db) != nil)
            #expect(try await ReportPhotoHold.find(held.token, at: monday.addingTimeInterval(3 * 3600), on: app.db) == nil)
            #expect(try await ReportPhotoHold.find(randomToken(), at: monday, on: app.db) == nil)
            #expect(try await Jobs.runAll(app: app, now: monday.addingTimeInterval(3 * 3600)).signals.photosRemoved == 1)
            // Dropping the kept photo sends the report without it.
            let dropped = try await ReportPhotoHold.keep(jpeg, at: monday, on: app.db)
            let without = try await browser.submit(formPage, to: formAction, [("categorie", "straatverlichting"), ("omschrijving", "Nog een lamp"), ("vraag_hoeveel", "Eén"),
                                                                              ("foto_bewaard", dropped.token), ("foto_weg", "ja"), ("lat", lat), ("lon", lon),
                                                                              ("dichtbij_gezien", "\(lat),\(lon)")]) // the first lamp, seen and not the same
            #expect(without.status == .seeOther)
            #expect(try await Signal.query(on: app.db).filter(\.$text == "Nog een lamp").first()?.hasPhoto == false)
        }
    }

    @Test func residentsFollowAReportInsteadOfReportingItAgain() async throws {
        try await withApp(now: monday) { app in
            let p = try await ruwaardPoint(app)
            let reporter = TestBrowser(app)
            let first = try await reporter.submit(formPage, to: formAction, [("categorie", "straatverlichting"), ("omschrijving", "Lamp kapot, bel 06-12345678"),
                                                                              ("vraag_hoeveel", "Eén"), ("lat", "\(p.lat)"), ("lon", "\(p.lon)"), ("email", "melder@voorbeeld.nl")])
            #expect(first.status == .seeOther)
            let signal = try #require(try await Signal.query(on: app.db).filter(\.$demo == false).first())
            // A second resident picks a point 20 m away: the open report is offered, without personal data.
            let neighbour = TestBrowser(app)
            let picked = try await neighbour.submit(formPage, to: formAction, [("categorie", "straatverlichting"), ("omschrijving", "Donker"),
                                                                                ("adres", ""), ("kaart.x", "300"), ("kaart.y", "181")])
            #expect(picked.text.contains("Is dit al gemeld?") && picked.text.contains(signal.trackingCode))
            #expect(!picked.text.contains("06-12345678") && !picked.text.contains("melder@voorbeeld.nl"))
            // Where the point came without a reload (the background map, "my location"), the check comes on sending:
            // once, with everything typed kept; sending again from the same point files the report.
            let near = (lat: p.lat + 0.00018, lon: p.lon)
            let direct = [("categorie", "straatverlichting"), ("omschrijving", "Ook donker"), ("vraag_hoeveel", "Eén"), ("lat", "\(near.lat)"), ("lon", "\(near.lon)")]
            let checked = try await TestBrowser(app).submit(formPage, to: formAction, direct)
            #expect(checked.status == .ok && checked.text.contains("Vlakbij zijn al meldingen") && checked.text.contains(signal.trackingCode))
            #expect(checked.text.contains("Ook donker") && checked.text.contains("name=\"dichtbij_gezien\""))
            #expect(try await Signal.query(on: app.db).filter(\.$demo == false).count() == 1, "nothing filed yet")
            let seen = String(format: "%.6f,%.6f", near.lat, near.lon)
            #expect(try await TestBrowser(app).submit(formPage, to: formAction, direct + [("dichtbij_gezien", seen)]).status == .seeOther)
            #expect(try await Signal.query(on: app.db).filter(\.$demo == false).count() == 2)
            let followPath = "/melding/\(signal.trackingCode)/volgen"
            #expect(picked.text.contains(followPath))
            // Bad address: a message, nothing stored.
            let bad = try await neighbour.submit(followPath, [("email", "geen-adres")])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("value=\"geen-adres\""))
            try await OutgoingMail.query(on: app.db).delete()
            let asked = try await neighbour.submit(followPath, [("email", "Buur@Voorbeeld.nl")])
            #expect(asked.status == .ok && asked.text.contains("Kijk in uw e-mail"))
            let confirmMail = try #require(try await OutgoingMail.query(on: app.db).first())
            #expect(confirmMail.recipient == "buur@voorbeeld.nl" && confirmMail.listUnsubscribe != nil)
            // Asking again within the hour sends nothing new, so the first mail's link keeps working.
            #expect(try await neighbour.submit(followPath, [("email", "buur@voorbeeld.nl")]).text.contains("Kijk in uw e-mail"))
            #expect(try await OutgoingMail.query(on: app.db).count() == 1)
            #expect(try await SignalFollowing.count(signal.requireID(), on: app.db) == 0, "nothing before the confirmation")
            let link = try #require(confirmMail.body.split(separator: "\n").first { $0.contains("/volgen/") && !$0.contains("stoppen") })
            let confirmPath = String(link[link.range(of: "/volgen/")!.lowerBound...]).trimmingCharacters(in: .whitespaces)
            #expect(try await neighbour.get(confirmPath).text.contains("Ja, ik wil deze melding volgen"), "opening the link confirms nothing by itself")
            #expect(try await SignalFollowing.count(signal.requireID(), on: app.db) == 0)
            let confirmed = try await neighbour.submit(confirmPath, [])
            #expect(confirmed.status == .ok && confirmed.text.contains("U volgt deze melding"))
            #expect(try await SignalFollowing.count(signal.requireID(), on: app.db) == 1)
            // Asking again (or twice at once) changes nothing and answers the same.
            try await OutgoingMail.query(on: app.db).delete()
            let again = try await neighbour.submit(followPath, [("email", "buur@voorbeeld.nl")])
            #expect(again.status == .ok && again.text.contains("Kijk in uw e-mail"), "the same answer: nobody learns whether an address follows")
            #expect(try await OutgoingMail.query(on: app.db).count() == 0)
            let page = try await neighbour.get(followPath).text
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 { group.addTask { _ = try await neighbour.post(followPath, form: [("csrf", TestBrowser.csrf(in: page)), ("email", "ander@voorbeeld.nl")]) } }
                try await group.waitForAll()
            }
            #expect(try await SignalFollower.query(on: app.db).filter(\.$email == "ander@voorbeeld.nl").count() == 1)
            // Staff see how many follow, never who.
            let officer = TestBrowser(app)
            try await Fixture.user(app, email: "behandelaar@gemeente.test", role: .departmentOfficer, department: "Openbare ruimte")
            _ = try await officer.login("behandelaar@gemeente.test", Fixture.password)
            let staffPage = try await officer.get("/werk/meldingen/\(signal.trackingCode)").text
            #expect(staffPage.contains("1 bewoner volgt deze melding") && !staffPage.contains("buur@voorbeeld.nl"))
            // A change of state reaches the follower, with a one-click stop.
            try await OutgoingMail.query(on: app.db).delete()
            let fresh = try #require(try await Signal.find(signal.id, on: app.db))
            try await SignalService.change(fresh, expectedVersion: fresh.version, to: .afgehandeld, publicText: "De lamp is vervangen.", note: nil,
                                           user: nil, initiator: .staff, at: monday.addingTimeInterval(3600), on: app.db, mailer: SignalMailer(app))
            let update = try #require(try await OutgoingMail.query(on: app.db).filter(\.$recipient == "buur@voorbeeld.nl").first())
            #expect(update.body.contains("De lamp is vervangen.") && !update.body.contains("sleutel"))
            let stop = try #require(update.listUnsubscribe)
            #expect(Outbox.message(update).contains("List-Unsubscribe: <\(stop)>") && Outbox.message(update).contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"))
            // RFC 8058: a mail program posts without cookies or a form token.
            let stopPath = String(stop[stop.range(of: "/volgen/")!.lowerBound...])
            let oneClick = try await TestBrowser(app).post(stopPath, form: [("List-Unsubscribe", "One-Click")])
            #expect(oneClick.status == .ok && oneClick.text.contains("U volgt deze melding niet meer"))
            #expect(try await SignalFollower.query(on: app.db).filter(\.$email == "buur@voorbeeld.nl").count() == 0)
            #expect(try await TestBrowser(app).post(stopPath.replacingOccurrences(of: "/stoppen", with: "x/stoppen"), form: []).text.contains("Deze link volgt geen melding"), "a tampered link deletes nothing and says so")
            #expect(try await TestBrowser(app).post(stopPath, form: []).text.contains("Deze link volgt geen melding"), "a second stop does not pretend to delete again")
            // A closed report can no longer be followed; an unknown confirmation link says so.
            #expect(try await neighbour.get(followPath).status == .conflict)
            #expect(try await neighbour.get("/volgen/\(randomToken())").status == .notFound)
            // Unconfirmed requests go after a week.
            #expect(try await Jobs.runAll(app: app, now: monday.addingTimeInterval(8 * 86_400)).signals.followersRemoved == 1)
        }
    }

    @Test func theMapScriptLeafletAndIconsAreServedFromWijkwerkItself() async throws {
        try await withApp(now: monday) { app in
            let browser = TestBrowser(app)
            for path in ["/js/map.js", "/vendor/leaflet/leaflet.js", "/vendor/leaflet/leaflet.css", "/vendor/leaflet/images/marker-icon.png", "/favicon.ico", "/favicon.svg"] {
                let r = try await browser.get(path)
                #expect(r.status == .ok, "\(path)")
                #expect(r.headers.first(name: .cacheControl) != "no-store", "\(path) may be cached")
            }
            #expect(try await browser.get("/vendor/../Package.swift").status == .notFound)
            let page = try await browser.get(formPage)
            #expect(page.headers.first(name: "Permissions-Policy")?.contains("geolocation=(self)") == true, "'use my location' needs the page's own geolocation")
            #expect(!page.text.contains("/js/map.js"), "without a tile server configured there is no background map to load")
            app.config.tileURL = "http://127.0.0.1:8090/tiles/{z}/{x}/{y}.png"
            let withTiles = try await browser.get(formPage).text
            #expect(withTiles.contains("<script src=\"/js/map.js\" defer></script>") && withTiles.contains("data-tiles=\"http://127.0.0.1:8090/tiles/{z}/{x}/{y}.png\""))
            #expect(withTiles.contains("data-outline=\"/api/v1/areas/"), "the script checks points against the area's own outline")
        }
        // The content security policy lets tiles in from the configured server only.
        let config = try AppConfig.load(from: ["WIJKWERK_TILE_URL": "https://tiles.example.nl:8443/brt/{z}/{x}/{y}.png", "WIJKWERK_GEOCODER_URL": ""])
        #expect(config.tileOrigin == "https://tiles.example.nl:8443" && config.geocoderURL == nil)
        #expect(SecurityHeadersMiddleware.contentSecurityPolicy(tileOrigin: config.tileOrigin).contains("img-src 'self' data: https://tiles.example.nl:8443;"))
        let defaults = try AppConfig.load(from: [:])
        #expect(defaults.tileURL == AppConfig.defaultTileURL && defaults.geocoderURL == AppConfig.defaultGeocoderURL)
        #expect(throws: AppConfig.Invalid.self) { try AppConfig.load(from: ["WIJKWERK_TILE_URL": "https://x.nl/tiles.png"]) }
        #expect(throws: AppConfig.Invalid.self) { try AppConfig.load(from: ["WIJKWERK_TILE_URL": "https://x.nl/{z}/{x}/{y}.png; script-src *"]) }
    }
}

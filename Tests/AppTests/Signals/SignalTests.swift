import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import Domain

/// Monday 23 November 2026, 10:00 in the Netherlands.
private let monday = DutchTime.calendar.date(from: DateComponents(year: 2026, month: 11, day: 23, hour: 10))!

private let reportPage = "/gemeenten/oss/melden/formulier?categorie=straatverlichting&gebied=ruwaard"

private func report(_ browser: TestBrowser, _ fields: [(String, String)]) async throws -> TestingHTTPResponse {
    try await browser.submit(reportPage, to: "/gemeenten/oss/melden/formulier?gebied=ruwaard", [("categorie", "straatverlichting")] + fields)
}

private func validReport(_ browser: TestBrowser, email: String? = "bewoner@voorbeeld.nl") async throws -> Signal {
    var fields = [("omschrijving", "De lantaarnpaal brandt niet."), ("vraag_hoeveel", "Eén"), ("plaats", "Molenstraat 12")]
    if let email { fields += [("email", email), ("toestemming", "ja")] }
    let response = try await report(browser, fields)
    #expect(response.status == .seeOther)
    let location = response.headers.first(name: .location)!
    let code = String(location.split(separator: "/")[1]) // /melding/CODE/sleutel/KEY
    return try #require(try await Signal.query(on: browser.app.db).filter(\.$trackingCode == code).first())
}

private func loggedIn(_ app: Application, _ email: String, _ role: Role, areas: [String] = [], department: String? = nil) async throws -> TestBrowser {
    try await Fixture.user(app, email: email, role: role, areas: areas, department: department)
    let browser = TestBrowser(app)
    _ = try await browser.login(email, Fixture.password)
    return browser
}

@Suite("Signals over HTTP", .serialized)
struct SignalTests {
    @Test func aResidentReportsAndFollowsTheCode() async throws {
        try await withApp(now: monday) { app in
            let browser = TestBrowser(app)
            let signal = try await validReport(browser)
            let ruwaard = try await Fixture.area(app, "ruwaard")
            #expect(signal.areaID == ruwaard.id)
            #expect(signal.state == .gemeld)
            // Routed by the rule on the main category to Openbare ruimte; 5 working days: Monday 30 November, end of day.
            let department = try #require(try await Department.find(signal.departmentID, on: app.db))
            #expect(department.name == "Openbare ruimte")
            #expect(Day(signal.deadline!) == Day(2026, 11, 30))
            #expect(signal.answers["hoeveel"] == "Eén")
            let mail = try await OutgoingMail.query(on: app.db).all()
            #expect(mail.count == 1 && mail[0].recipient == "bewoner@voorbeeld.nl" && mail[0].body.contains(signal.trackingCode))

            let page = try await browser.get("/melding/\(signal.trackingCode)")
            #expect(page.status == .ok)
            #expect(page.text.contains(signal.trackingCode) && page.text.contains("Straatverlichting") && page.text.contains("Ruwaard"))
            #expect(!page.text.contains("bewoner@voorbeeld.nl"))
            #expect(try await browser.get("/melding/SIG-2222-2222").status == .notFound)
            #expect(try await browser.get("/melding?code=12").status == .badRequest)
            let found = try await browser.get("/melding?code=" + signal.trackingCode.lowercased().replacingOccurrences(of: "-", with: " "))
            #expect(found.status == .seeOther && found.headers.first(name: .location) == "/melding/\(signal.trackingCode)")
        }
    }

    @Test func badInputGetsAClearMessageAndKeepsWhatWasTyped() async throws {
        try await withApp(now: monday) { app in
            let browser = TestBrowser(app)
            let empty = try await report(browser, [("omschrijving", ""), ("plaats", "Bij de kerk")])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.text.contains("Vul dit veld in.") && empty.text.contains("value=\"Bij de kerk\""))
            let long = try await report(browser, [("omschrijving", String(repeating: "a", count: 4001)), ("vraag_hoeveel", "Eén"), ("plaats", "x")])
            #expect(long.status == .unprocessableEntity && long.text.contains("maximaal 4000 tekens"))
            let outside = try await report(browser, [("omschrijving", "Lamp"), ("vraag_hoeveel", "Eén"), ("lat", "52,3730"), ("lon", "4,8924")])
            #expect(outside.status == .unprocessableEntity && outside.text.contains("ligt niet in de gemeente Oss"))
            let nothingWhere = try await report(browser, [("omschrijving", "Lamp"), ("vraag_hoeveel", "Eén")])
            #expect(nothingWhere.status == .unprocessableEntity && nothingWhere.text.contains("Vertel ons waar het is"))
            let noConsent = try await report(browser, [("omschrijving", "Lamp"), ("vraag_hoeveel", "Eén"), ("plaats", "x"), ("telefoon", "06 12345678")])
            #expect(noConsent.status == .unprocessableEntity && noConsent.text.contains("toestemming"), "a phone number is for being called: that needs consent")
            let emailOnly = try await report(TestBrowser(app), [("omschrijving", "Lamp"), ("vraag_hoeveel", "Eén"), ("plaats", "x"), ("email", "a@b.nl")])
            #expect(emailOnly.status == .seeOther, "an e-mail address for updates needs no consent")
            let unknown = try await browser.submit(reportPage, to: "/gemeenten/oss/melden/formulier", [("categorie", "bestaat-niet"), ("omschrijving", "x")])
            #expect(unknown.status == .unprocessableEntity && unknown.text.contains("Dit onderwerp kennen wij niet"))
            #expect(try await browser.get("/gemeenten/oss/melden/formulier?categorie=afval").status == .unprocessableEntity, "a main category with subs is not a choice")
            browser.language = "en"
            let english = try await report(browser, [("omschrijving", "")])
            #expect(english.text.contains("Tell us where it is"))
            #expect(try await Signal.query(on: app.db).count() == 1, "only the report with an e-mail address and no phone was stored")
        }
    }

    @Test func aClickOnTheMapFillsInThePoint() async throws {
        try await withApp(now: monday) { app in
            let browser = TestBrowser(app)
            let picked = try await report(browser, [("omschrijving", "Lamp"), ("kaart.x", "300"), ("kaart.y", "180")])
            #expect(picked.status == .ok)
            let lat = try #require(TestBrowser.hidden("lat", in: picked.text.replacingOccurrences(of: "type=\"text\" id=\"lat\" ", with: "")))
            let lon = try #require(TestBrowser.hidden("lon", in: picked.text.replacingOccurrences(of: "type=\"text\" id=\"lon\" ", with: "")))
            #expect(picked.text.contains(">Lamp</textarea>"))
            let response = try await report(browser, [("omschrijving", "Lamp"), ("vraag_hoeveel", "Eén"), ("lat", lat), ("lon", lon)])
            #expect(response.status == .seeOther)
            let signal = try #require(try await Signal.query(on: app.db).first())
            #expect(signal.areaID == (try await Fixture.area(app, "ruwaard")).id, "the middle of Ruwaard's map is in Ruwaard")
            #expect(signal.neighbourhoodID != nil)
            let svg = try await browser.get("/gemeenten/oss/melden/kaart.svg?gebied=ruwaard&lat=\(lat)&lon=\(lon)")
            #expect(svg.headers.contentType?.subType == "svg+xml" && svg.text.contains("<circle"))
        }
    }

    @Test func photosAreCheckedByContentAndStripped() async throws {
        try await withApp(now: monday) { app in
            let browser = TestBrowser(app)
            let html = try await browser.get(reportPage).text
            func multipart(_ file: Data, name: String) async throws -> TestingHTTPResponse {
                var (headers, body) = Multipart.body([("csrf", TestBrowser.csrf(in: html)), ("categorie", "straatverlichting"), ("omschrijving", "Lamp"), ("vraag_hoeveel", "Eén"), ("plaats", "Kerkstraat")],
                                                     file: .init(field: "foto", filename: name, contentType: "image/jpeg", data: file))
                headers.replaceOrAdd(name: .cookie, value: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
                return try await app.testing().sendRequest(.POST, "/gemeenten/oss/melden/formulier?gebied=ruwaard", headers: headers, body: body)
            }
            let pdf = try await multipart(Data("%PDF-1.7 not a photo".utf8), name: "foto.jpg")
            #expect(pdf.status == .unprocessableEntity && pdf.text.contains("Dit bestand is geen foto"))
            let exif = Array("Exif\0\0GPS 51.76N 5.52E".utf8)
            let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE1, 0x00, UInt8(exif.count + 2)] + exif + [0xFF, 0xDA, 0x00, 0x03, 0x00, 0x11, 0x22, 0xFF, 0xD9])
            let ok = try await multipart(jpeg, name: "lamp.jpg")
            #expect(ok.status == .seeOther)
            let photo = try #require(try await SignalPhoto.query(on: app.db).first())
            #expect(photo.contentType == "image/jpeg" && !String(decoding: photo.data, as: UTF8.self).contains("GPS"))
            let signal = try #require(try await Signal.query(on: app.db).first())
            #expect(signal.hasPhoto)
            #expect(try await browser.get("/werk/meldingen/\(signal.trackingCode)/foto").status == .seeOther, "photos are for staff only")
        }
    }

    @Test func whoSeesAndHandlesWhat() async throws {
        try await withApp(now: monday) { app in
            let signal = try await validReport(TestBrowser(app))
            let path = "/werk/meldingen/\(signal.trackingCode)"
            let officer = try await loggedIn(app, "or@oss.test", .departmentOfficer, department: "Openbare ruimte")
            let social = try await loggedIn(app, "sd@oss.test", .departmentOfficer, department: "Sociaal domein")
            let coordinator = try await loggedIn(app, "co@oss.test", .areaCoordinator, areas: ["ruwaard"])
            let otherCoordinator = try await loggedIn(app, "co2@oss.test", .areaCoordinator, areas: ["schadewijk"])
            let member = try await loggedIn(app, "raad@oss.test", .councilMember, areas: ["ruwaard"])
            try await Fixture.user(app, email: "oh@oosterhout.test", role: .areaManager, municipality: "GM0826")
            let otherMunicipality = TestBrowser(app)
            _ = try await otherMunicipality.login("oh@oosterhout.test", Fixture.password)

            let seen = try await officer.get(path)
            #expect(seen.status == .ok && seen.text.contains("bewoner@voorbeeld.nl"))
            #expect(try await coordinator.get(path).text.contains("bewoner@voorbeeld.nl"))
            #expect(try await social.get(path).status == .forbidden)
            #expect(try await otherCoordinator.get(path).status == .forbidden)
            #expect(try await otherMunicipality.get(path).status == .forbidden)
            #expect(try await officer.submit(path, to: path + "/status", [("status", "in_behandeling"), ("notitie", "Buurman belde ook al")]).status == .seeOther)
            let memberView = try await member.get(path)
            #expect(memberView.status == .ok && !memberView.text.contains("bewoner@voorbeeld.nl"), "council members do not see the reporter")
            #expect(!memberView.text.contains("Buurman belde ook al"), "nor internal notes")
            #expect(try await officer.get(path).text.contains("Buurman belde ook al"))
            #expect(try await member.submit(path, to: path + "/status", [("status", "in_behandeling")]).status == .forbidden)
            #expect(try await TestBrowser(app).get(path).status == .seeOther, "anonymous visitors are sent to the login page")

            // The inbox shows each role its own signals.
            #expect(try await officer.get("/werk/meldingen").text.contains(signal.trackingCode))
            #expect(!(try await social.get("/werk/meldingen").text.contains(signal.trackingCode)))
            #expect(!(try await otherCoordinator.get("/werk/meldingen").text.contains(signal.trackingCode)))

            // A council member escalates by hand, with a reason.
            let noReason = try await member.submit(path, to: path + "/escaleren", [("reden", "")])
            #expect(noReason.status == .unprocessableEntity)
            #expect(try await member.submit(path, to: path + "/escaleren", [("reden", "Al drie keer gemeld, het blijft donker.")]).status == .seeOther)
            let escalation = try #require(try await SignalEscalation.query(on: app.db).first())
            #expect(escalation.level == nil && escalation.role == .areaAlderman && escalation.reason?.contains("donker") == true)
            // The area's alderman sees it among the escalations and in the list; the alderman of another area does not.
            let alderman = try await loggedIn(app, "weth@oss.test", .areaAlderman, areas: ["ruwaard"])
            let aldermanInbox = try await alderman.get("/werk/meldingen").text
            #expect(aldermanInbox.contains("Escalaties voor u") && aldermanInbox.contains(signal.trackingCode) && aldermanInbox.contains("donker"))
            let otherAlderman = try await loggedIn(app, "weth2@oss.test", .areaAlderman, areas: ["schadewijk"])
            #expect(!(try await otherAlderman.get("/werk/meldingen").text.contains(signal.trackingCode)))
        }
    }

    @Test func theStateMachineIsEnforcedAndConflictsAreClear() async throws {
        try await withApp(now: monday) { app in
            let signal = try await validReport(TestBrowser(app))
            let path = "/werk/meldingen/\(signal.trackingCode)"
            let officer = try await loggedIn(app, "or@oss.test", .departmentOfficer, department: "Openbare ruimte")
            let noText = try await officer.submit(path, to: path + "/status", [("status", "afgehandeld"), ("notitie", "intern")])
            #expect(noText.status == .unprocessableEntity && noText.text.contains("Schrijf een tekst voor de melder") && noText.text.contains(">intern</textarea>"))
            let forbidden = try await officer.submit(path, to: path + "/status", [("status", "heropend")])
            #expect(forbidden.status == .unprocessableEntity && forbidden.text.contains("Van Gemeld naar Heropend kan niet"))
            // Two people opened the form at version 1; the first wins, the second gets a conflict with the form kept.
            let html = try await officer.get(path).text
            let stale = TestBrowser.hidden("versie", in: html)!
            #expect(try await officer.post(path + "/status", form: [("csrf", TestBrowser.csrf(in: html)), ("versie", stale), ("status", "in_behandeling")]).status == .seeOther)
            let conflict = try await officer.post(path + "/status", form: [("csrf", TestBrowser.csrf(in: html)), ("versie", stale), ("status", "ingepland"), ("publieke_tekst", "Volgende week")])
            #expect(conflict.status == .conflict && conflict.text.contains("Iemand anders heeft deze melding net veranderd") && conflict.text.contains(">Volgende week</textarea>"))
            let fresh = try #require(try await Signal.find(signal.id, on: app.db))
            #expect(fresh.state == .inBehandeling)

            // A duplicate is cancelled, pointing to the main signal, when the main one is closed.
            let duplicate = try await validReport(TestBrowser(app), email: nil)
            let dpath = "/werk/meldingen/\(duplicate.trackingCode)"
            #expect(try await officer.submit(dpath, to: dpath + "/koppelen", [("hoofdmelding", duplicate.trackingCode)]).status == .unprocessableEntity)
            #expect(try await officer.submit(dpath, to: dpath + "/koppelen", [("hoofdmelding", signal.trackingCode)]).status == .seeOther)
            // No chains: the main signal cannot itself become a duplicate of another one.
            let third = try await validReport(TestBrowser(app), email: nil)
            #expect(try await officer.submit(path, to: path + "/koppelen", [("hoofdmelding", third.trackingCode)]).status == .unprocessableEntity)
            #expect(try await officer.submit(path, to: path + "/status", [("status", "afgehandeld"), ("publieke_tekst", "De lamp is vervangen.")]).status == .seeOther)
            let cancelled = try #require(try await Signal.find(duplicate.id, on: app.db))
            #expect(cancelled.state == .geannuleerd)
            let publicPage = try await TestBrowser(app).get("/melding/\(duplicate.trackingCode)").text
            #expect(publicPage.contains(signal.trackingCode) && publicPage.contains("De lamp is vervangen."))
            // Every change is in the history with who, from and to; internal notes never on the public page.
            let events = try await SignalEvent.query(on: app.db).filter(\.$signal.$id == signal.requireID()).filter(\.$kind == .state).all()
            #expect(events.map(\.toState) == ["in_behandeling", "afgehandeld"] && events.allSatisfy { $0.actor == "Or" })
            #expect(try await OutgoingMail.query(on: app.db).filter(\.$recipient == "bewoner@voorbeeld.nl").count() == 3, "confirmation, in behandeling, afgehandeld")
        }
    }

    @Test func theReporterAnswersAQuestionAndStaffPlaceASignal() async throws {
        try await withApp(now: monday) { app in
            // Reported from the municipality's page with only a description of the place: no area yet.
            let resident = TestBrowser(app)
            let response = try await resident.submit("/gemeenten/oss/melden/formulier?categorie=zwerfafval", to: "/gemeenten/oss/melden/formulier",
                                                     [("categorie", "zwerfafval"), ("omschrijving", "Rommel"), ("plaats", "Achter de sporthal")])
            #expect(response.status == .seeOther)
            let signal = try #require(try await Signal.query(on: app.db).first())
            #expect(signal.areaID == nil && signal.source == "web")
            let officer = try await loggedIn(app, "or@oss.test", .departmentOfficer, department: "Openbare ruimte")
            let path = "/werk/meldingen/\(signal.trackingCode)"
            let ruwaard = try await Fixture.area(app, "ruwaard")
            #expect(try await officer.submit(path, to: path + "/gebied", [("gebied", UUID().uuidString)]).status == .unprocessableEntity)
            #expect(try await officer.submit(path, to: path + "/gebied", [("gebied", ruwaard.id!.uuidString)]).status == .seeOther)
            #expect(try await Signal.find(signal.id, on: app.db)?.areaID == ruwaard.id)

            // The officer asks a question; the reporter answers on their own link (the tracking code alone is public).
            #expect(try await officer.submit(path, to: path + "/status", [("status", "reactie_gevraagd"), ("publieke_tekst", "Aan welke kant van de sporthal?")]).status == .seeOther)
            let key = try #require(try await Signal.find(signal.id, on: app.db)?.reporterKey)
            let page = "/melding/\(signal.trackingCode)"
            #expect(response.headers.first(name: .location) == page + "/sleutel/\(key)", "the reporter's own link, in the path")
            // The own link keeps the key in a cookie for this signal's pages and sends the browser on without it.
            let own = try await resident.get(page + "/sleutel/\(key)")
            #expect(own.status == .seeOther && own.headers.first(name: .location) == page)
            #expect(own.headers[.setCookie].contains { $0.contains("wijkwerk_melder_\(signal.trackingCode)=\(key)") && $0.contains("HttpOnly") && $0.contains("Path=/melding/\(signal.trackingCode)") })
            let shown = try await resident.get(page).text
            #expect(shown.contains("Aan welke kant van de sporthal?") && shown.contains("name=\"antwoord\""))
            #expect(shown.contains("/sleutel/\(key)"), "the reporter sees their own link to keep")
            let stranger = TestBrowser(app)
            #expect(!(try await stranger.get(page).text.contains("name=\"antwoord\"")), "without the reporter's link: no form")
            #expect(!(try await stranger.get(page).text.contains(key)), "nor the key")
            _ = try await stranger.get(page + "/sleutel/VERKEERD-VERKEERD-VERKEERD")
            #expect(try await stranger.submit(page, to: page + "/reactie", [("antwoord", "Iets")]).status == .forbidden, "a wrong key is not remembered")
            // Links in older mails with the key in the query still work, and end on the page without it.
            let legacy = try await TestBrowser(app).get(page + "?sleutel=\(key)")
            #expect(legacy.status == .seeOther && legacy.headers.first(name: .location) == page)
            #expect(try await resident.submit(page, to: page + "/reactie", [("antwoord", "")]).status == .unprocessableEntity)
            #expect(try await resident.submit(page, to: page + "/reactie", [("antwoord", "Bij de fietsenstalling, naast mijn huis op nummer 3")]).status == .seeOther)
            #expect(try await Signal.find(signal.id, on: app.db)?.state == .reactieOntvangen)
            #expect(!(try await resident.get(page).text.contains("nummer 3")), "the answer is for staff only")
            #expect(try await officer.get(path).text.contains("nummer 3"))

            // Staff reporting for a resident through the same form are recorded as such.
            let staffReport = try await officer.submit("/gemeenten/oss/melden/formulier?categorie=zwerfafval", to: "/gemeenten/oss/melden/formulier",
                                                       [("categorie", "zwerfafval"), ("omschrijving", "Telefonisch gemeld"), ("plaats", "Markt")])
            #expect(staffReport.status == .seeOther)
            #expect(try await Signal.query(on: app.db).filter(\.$source == "staff").count() == 1)
        }
    }

    @Test func negativeFeedbackWithinTwoWeeksAsksToReopen() async throws {
        try await withApp(now: monday) { app in
            let signal = try await validReport(TestBrowser(app))
            let mailer = SignalMailer(app)
            try await SignalService.change(signal, expectedVersion: signal.version, to: .afgehandeld, publicText: "Gerepareerd.", note: nil, user: nil,
                                           initiator: .staff, at: monday, on: app.db, mailer: mailer)
            let resident = TestBrowser(app)
            let key = try #require(signal.reporterKey)
            let page = "/melding/\(signal.trackingCode)"
            #expect(try await resident.submit(page, to: page + "/tevredenheid", [("tevreden", "nee")]).status == .forbidden, "the key is needed")
            _ = try await resident.get(page + "/sleutel/\(key)")
            #expect(try await resident.submit(page, to: page + "/tevredenheid", []).status == .unprocessableEntity)
            #expect(try await resident.submit(page, to: page + "/tevredenheid", [("tevreden", "nee"), ("toelichting", "Hij brandt nog steeds niet.")]).status == .seeOther)
            let reopened = try #require(try await Signal.find(signal.id, on: app.db))
            #expect(reopened.state == .verzoekTotHeropenen && reopened.feedbackSatisfied == false)
            let token = TestBrowser.csrf(in: try await resident.get(reportPage).text)
            let again = try await resident.post(page + "/tevredenheid", form: [("csrf", token), ("tevreden", "ja")])
            #expect(again.status == .conflict, "one answer per closing: \(again.status) \(again.text.prefix(300))")
        }
    }

    @Test func theJobEscalatesEachLevelOnceAndRemovesContactsAfterRetention() async throws {
        try await withApp(now: monday) { app in
            let coordinator = try await Fixture.user(app, email: "co@oss.test", role: .areaCoordinator, areas: ["ruwaard"])
            let signal = try await validReport(TestBrowser(app))
            let deadline = try #require(signal.deadline) // end of Monday 30 November
            #expect(try await Jobs.runAll(app: app, now: deadline.addingTimeInterval(-60)).signals.escalations == 0)
            #expect(try await Jobs.runAll(app: app, now: deadline.addingTimeInterval(3600)).signals.escalations == 1)
            #expect(try await Jobs.runAll(app: app, now: deadline.addingTimeInterval(7200)).signals.escalations == 0, "never twice")
            // (The coordinator also hears about the demo council's late advice answer; count only this signal's mail.)
            let mailToCoordinator = try await OutgoingMail.query(on: app.db).filter(\.$recipient == coordinator.email).all().filter { $0.body.contains(signal.trackingCode) }
            #expect(mailToCoordinator.count == 1)
            #expect(try await Jobs.runAll(app: app, now: deadline.addingTimeInterval(60 * 86_400)).signals.escalations == 3)
            let levels = try await SignalEscalation.query(on: app.db).sort(\.$level).all().map(\.level)
            #expect(levels == [1, 2, 3, 4])
            #expect(try await Signal.find(signal.id, on: app.db)?.escalationLevel == 4)
            // The coordinator sees the escalation in their inbox.
            let browser = TestBrowser(app)
            _ = try await browser.login("co@oss.test", Fixture.password)
            #expect(try await browser.get("/werk/meldingen").text.contains("Escalaties voor u"))

            let fresh = try #require(try await Signal.find(signal.id, on: app.db))
            let closedAt = deadline.addingTimeInterval(61 * 86_400)
            try await SignalService.change(fresh, expectedVersion: fresh.version, to: .afgehandeld, publicText: "Klaar.", note: nil, user: nil,
                                           initiator: .staff, at: closedAt, on: app.db, mailer: SignalMailer(app))
            #expect(try await Jobs.runAll(app: app, now: closedAt.addingTimeInterval(364 * 86_400)).signals.contactsRemoved == 0)
            #expect(try await Jobs.runAll(app: app, now: closedAt.addingTimeInterval(366 * 86_400)).signals.contactsRemoved == 1)
            let kept = try #require(try await Signal.find(signal.id, on: app.db))
            #expect(kept.reporterEmail == nil && kept.contactRemovedAt != nil && kept.text == "De lantaarnpaal brandt niet.")
            #expect(try await SignalEvent.query(on: app.db).filter(\.$signal.$id == signal.requireID()).count() >= 5)
        }
    }

    @Test func theSystemMovesOnAfterTimeouts() async throws {
        try await withApp(now: monday) { app in
            let signal = try await validReport(TestBrowser(app), email: nil)
            try await SignalService.change(signal, expectedVersion: signal.version, to: .reactieGevraagd, publicText: "Waar precies?", note: nil, user: nil,
                                           initiator: .staff, at: monday, on: app.db, mailer: SignalMailer(app))
            #expect(try await Jobs.runAll(app: app, now: monday.addingTimeInterval(4 * 86_400)).signals.timeouts == 0)
            #expect(try await Jobs.runAll(app: app, now: monday.addingTimeInterval(6 * 86_400)).signals.timeouts == 1)
            #expect(try await Signal.find(signal.id, on: app.db)?.state == .reactieOntvangen)
        }
    }

    @Test func twoHundredReportsAtOnceAllGetTheirOwnCode() async throws {
        try await withApp(now: monday) { app in
            let oss = try #require(try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first())
            let category = try #require(try await SignalCategory.query(on: app.db).filter(\.$code == "zwerfafval").filter(\.$municipality.$id == oss.requireID()).first())
            let mailer = SignalMailer(app)
            let mid = try oss.requireID()
            let codes = try await withThrowingTaskGroup(of: String.self) { group in
                for i in 0..<200 {
                    group.addTask {
                        let intake = SignalIntake(municipalityID: mid, category: category, description: "Zwerfafval \(i)", place: "Markt", position: nil,
                                                  neighbourhoodID: nil, pageAreaID: nil, answers: [:], email: nil, phone: nil, photo: nil, source: "web")
                        return try await SignalService.report(intake, at: monday, on: app.db, mailer: mailer).trackingCode
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(codes.count == 200 && Set(codes).count == 200)
            #expect(try await Signal.query(on: app.db).count() == 200)
        }
    }

    @Test func twoStaffChangesAtOnceOneWins() async throws {
        try await withApp(now: monday) { app in
            let signal = try await validReport(TestBrowser(app), email: nil)
            let mailer = SignalMailer(app)
            let version = signal.version
            let id = try signal.requireID()
            let results = try await withThrowingTaskGroup(of: Bool.self) { group in
                for target in [SignalState.inBehandeling, .ingepland] {
                    group.addTask {
                        let copy = try await Signal.find(id, on: app.db)!
                        do {
                            try await SignalService.change(copy, expectedVersion: version, to: target, publicText: nil, note: nil, user: nil,
                                                           initiator: .staff, at: monday, on: app.db, mailer: mailer)
                            return true
                        } catch is SignalConflict { return false }
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == 1)
            #expect(try await SignalEvent.query(on: app.db).filter(\.$kind == .state).count() == 1)
        }
    }

    @Test func theDemoHasSignalsInEveryCorner() async throws {
        try await withApp(now: monday, demoSignals: 60) { app in
            #expect(try await Signal.query(on: app.db).count() == 60)
            #expect(try await Signal.query(on: app.db).filter(\.$demo == true).count() == 60)
            #expect(try await Signal.query(on: app.db).filter(\.$state == .afgehandeld).count() > 0)
            #expect(try await SignalEscalation.query(on: app.db).count() > 0)
            let admin = try await Fixture.adminBrowser(app, municipality: "GM0828")
            let inbox = try await admin.get("/werk/meldingen?open=nee")
            #expect(inbox.status == .ok && inbox.text.contains("SIG-"))
            let one = try #require(try await Signal.query(on: app.db).first())
            #expect(try await admin.get("/werk/meldingen/\(one.trackingCode)").text.contains("Demogegevens"))
            let dashboard = try await admin.get("/werk/meldingen/overzicht?gemeente=oss")
            #expect(dashboard.status == .ok && dashboard.text.contains("Per onderwerp") && dashboard.text.contains("Per maand"))
            // The area page shows counts and the median handling time of its own signals, and nothing personal.
            let area = try #require(try await Area.find(one.areaID, on: app.db))
            let expected = try await Signal.query(on: app.db).filter(\.$area.$id == area.requireID()).count()
            let page = try await TestBrowser(app).get("/gemeenten/oss/gebieden/\(area.slug)").text
            #expect(page.contains("Meldingen in dit gebied") && page.contains("<dd>\(expected)</dd>"))
            #expect(!page.contains("@"), "no e-mail addresses on public pages")
            // Open signals in public subjects are dots on some area's map.
            var dots = false
            for slug in try await Area.query(on: app.db).all().map(\.slug) where !dots {
                dots = try await TestBrowser(app).get("/gemeenten/oss/gebieden/\(slug)").text.contains("ww-map__signal")
            }
            #expect(dots)
        }
    }
}

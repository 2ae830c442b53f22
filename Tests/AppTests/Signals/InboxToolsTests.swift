import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import Domain

/// Monday 23 November 2026, 10:00 in the Netherlands.
private let monday = DutchTime.calendar.date(from: DateComponents(year: 2026, month: 11, day: 23, hour: 10))!

/// Reports one signal through the resident's form; returns its tracking code.
private func reported(_ app: Application, category: String, text: String, place: String = "Molenstraat 12") async throws -> String {
    let browser = TestBrowser(app)
    var fields = [("categorie", category), ("omschrijving", text), ("plaats", place), ("email", "melder@voorbeeld.nl")]
    if category == "straatverlichting" { fields.append(("vraag_hoeveel", "Eén")) }
    let response = try await browser.submit("/gemeenten/oss/melden/formulier?categorie=\(category)&gebied=ruwaard", to: "/gemeenten/oss/melden/formulier?gebied=ruwaard", fields)
    #expect(response.status == .seeOther, "report \(category)")
    return String(response.headers.first(name: .location)!.split(separator: "/")[1])
}

private func staff(_ app: Application, _ email: String, _ role: Role, areas: [String] = [], department: String? = nil, municipality: String? = "GM0828") async throws -> TestBrowser {
    try await Fixture.user(app, email: email, role: role, municipality: municipality, areas: areas, department: department)
    let browser = TestBrowser(app)
    _ = try await browser.login(email, Fixture.password)
    return browser
}

@Suite("The inbox's working-day tools", .serialized)
struct InboxToolsTests {
    @Test func bulkActionsDoWhatMayBeDoneAndSayWhatWasNot() async throws {
        try await withApp(now: monday) { app in
            let lights = [try await reported(app, category: "straatverlichting", text: "Lamp 1 kapot"),
                          try await reported(app, category: "straatverlichting", text: "Lamp 2 kapot"),
                          try await reported(app, category: "graffiti", text: "Graffiti op de muur")]
            let bin = try await reported(app, category: "graffiti", text: "Graffiti op de afvalbak")
            let social = try await reported(app, category: "eenzaamheid", text: "Mijn buurman komt nooit buiten")
            let officer = try await staff(app, "or@oss.test", .departmentOfficer, department: "Openbare ruimte")
            let inbox = try await officer.get("/werk/meldingen?zoek=kapot").text
            #expect(inbox.contains("name=\"melding\" value=\"\(lights[0])\"") && inbox.contains("Lamp 1 kapot"), "rows can be chosen and show what was reported")
            #expect(inbox.contains("<details class=\"ww-filters\""), "the filters fold away")
            // An eight-letter word that could be a tracking code is still searched as a word; a code finds its signal.
            let word = try await officer.get("/werk/meldingen?zoek=afvalbak").text
            #expect(word.contains(bin) && !word.contains(lights[0]))
            let byCode = try await officer.get("/werk/meldingen?zoek=" + lights[1].lowercased().replacingOccurrences(of: "-", with: "+")).text
            #expect(byCode.contains(lights[1]) && !byCode.contains(lights[0]))

            let me = try await officer.post("/werk/meldingen/bulk", form: [("csrf", TestBrowser.csrf(in: inbox)), ("actie", "toewijzen:mij"), ("terug", "zoek=kapot&x=1")]
                                            + (lights + [social]).map { ("melding", $0) })
            #expect(me.status == .seeOther && me.headers.first(name: .location) == "/werk/meldingen?zoek=kapot", "back to the same list, unknown keys dropped")
            let after = try await officer.get("/werk/meldingen?zoek=kapot").text
            #expect(after.contains("3 meldingen aangepast.") && after.contains("Niet aangepast: \(social) (u behandelt deze melding niet)"))
            #expect(!after.contains("id=\"kies-\(lights[0])\" checked"), "what was done is not ticked again")
            let officerID = try #require(try await User.query(on: app.db).filter(\.$email == "or@oss.test").first()?.id)
            for code in lights { #expect(try await Signal.query(on: app.db).filter(\.$trackingCode == code).first()?.assigneeID == officerID) }
            #expect(try await Signal.query(on: app.db).filter(\.$trackingCode == social).first()?.assigneeID == nil)

            // Closing needs a public text: without one every signal is refused with the reason; with one all close and are mailed.
            let page = try await officer.get("/werk/meldingen").text
            _ = try await officer.post("/werk/meldingen/bulk", form: [("csrf", TestBrowser.csrf(in: page)), ("actie", "status:afgehandeld")] + lights.map { ("melding", $0) })
            let refusedAll = try await officer.get("/werk/meldingen").text
            #expect(refusedAll.contains("0 meldingen aangepast.") && refusedAll.contains("id=\"kies-\(lights[0])\" checked"), "what was refused stays ticked")
            #expect(refusedAll.contains("<option value=\"status:afgehandeld\" selected>"), "and the action stays chosen")
            try await OutgoingMail.query(on: app.db).delete()
            _ = try await officer.post("/werk/meldingen/bulk", form: [("csrf", TestBrowser.csrf(in: page)), ("actie", "status:inBehandeling")] + lights.map { ("melding", $0) })
            _ = try await officer.post("/werk/meldingen/bulk", form: [("csrf", TestBrowser.csrf(in: page)), ("actie", "status:afgehandeld"),
                                                                      ("bulk_tekst", "Opgelost door de ploeg van maandag.")] + lights.map { ("melding", $0) })
            for code in lights { #expect(try await Signal.query(on: app.db).filter(\.$trackingCode == code).first()?.state == .afgehandeld) }
            #expect(try await OutgoingMail.query(on: app.db).all().filter { $0.body.contains("Opgelost door de ploeg van maandag.") }.count == 3)
            // Bad input: nothing chosen, no action, an unknown person.
            _ = try await officer.post("/werk/meldingen/bulk", form: [("csrf", TestBrowser.csrf(in: page)), ("actie", "toewijzen:mij")])
            #expect(try await officer.get("/werk/meldingen").text.contains("Kies eerst een of meer meldingen"))
            _ = try await officer.post("/werk/meldingen/bulk", form: [("csrf", TestBrowser.csrf(in: page)), ("actie", "verwijderen"), ("melding", bin),
                                                                      ("bulk_tekst", "Mijn <tekst>")])
            let kept = try await officer.get("/werk/meldingen").text
            #expect(kept.contains("Kies wat er met de meldingen moet gebeuren"))
            #expect(kept.contains("id=\"kies-\(bin)\" checked") && kept.contains("Mijn &lt;tekst&gt;</textarea>"), "the ticks and the text come back")
            #expect(!(try await officer.get("/werk/meldingen").text.contains("Mijn &lt;tekst&gt;")), "once")
            _ = try await officer.post("/werk/meldingen/bulk", form: [("csrf", TestBrowser.csrf(in: page)), ("actie", "toewijzen:\(UUID())"), ("melding", lights[0])])
            #expect(try await officer.get("/werk/meldingen").text.contains("Niet aangepast: \(lights[0])"))
            // Someone who is not logged in changes nothing (with a valid form token from a public page, too).
            let events = try await SignalEvent.query(on: app.db).count()
            let stranger = TestBrowser(app)
            let publicPage = try await stranger.get("/gemeenten/oss/melden/formulier?categorie=straatverlichting").text
            let refused = try await stranger.post("/werk/meldingen/bulk", form: [("csrf", TestBrowser.csrf(in: publicPage)), ("actie", "status:inBehandeling"), ("melding", social)])
            #expect(refused.headers.first(name: .location)?.hasPrefix("/inloggen") == true || refused.status.code >= 400)
            #expect(try await SignalEvent.query(on: app.db).count() == events)
        }
    }

    @Test func savedFiltersAreEachUsersOwn() async throws {
        try await withApp(now: monday) { app in
            let officer = try await staff(app, "or@oss.test", .departmentOfficer, department: "Openbare ruimte")
            let page = try await officer.get("/werk/meldingen?zoek=lamp&te_laat=ja").text
            #expect(page.contains("name=\"terug\" value=\"zoek=lamp&amp;te_laat=ja\""))
            let saved = try await officer.post("/werk/meldingen/filters", form: [("csrf", TestBrowser.csrf(in: page)), ("naam", "Lampen te laat"), ("terug", "te_laat=ja&zoek=lamp&evil=1")])
            #expect(saved.headers.first(name: .location) == "/werk/meldingen?zoek=lamp&te_laat=ja")
            let list = try await officer.get("/werk/meldingen?zoek=lamp&te_laat=ja").text
            #expect(list.contains("Filter Lampen te laat is bewaard.") && list.contains("href=\"/werk/meldingen?zoek=lamp&amp;te_laat=ja\" aria-current=\"true\">Lampen te laat</a>"))
            _ = try await officer.post("/werk/meldingen/filters", form: [("csrf", TestBrowser.csrf(in: page)), ("naam", "Lampen te laat"), ("terug", "zoek=lantaarn")])
            let filters = try await SavedInboxFilter.query(on: app.db).all()
            #expect(filters.count == 1 && filters[0].query == "zoek=lantaarn", "the same name replaces")
            _ = try await officer.post("/werk/meldingen/filters", form: [("csrf", TestBrowser.csrf(in: page)), ("naam", "  "), ("terug", "")])
            #expect(try await officer.get("/werk/meldingen").text.contains("Geef het filter een naam"))
            let other = try await staff(app, "co@oss.test", .areaCoordinator, areas: ["ruwaard"])
            let otherPage = try await other.get("/werk/meldingen").text
            #expect(!otherPage.contains("Lampen te laat"))
            #expect(try await other.post("/werk/meldingen/filters/\(filters[0].id!)/verwijderen", form: [("csrf", TestBrowser.csrf(in: otherPage))]).status == .notFound)
            _ = try await officer.post("/werk/meldingen/filters/\(filters[0].id!)/verwijderen", form: [("csrf", TestBrowser.csrf(in: page))])
            #expect(try await SavedInboxFilter.query(on: app.db).count() == 0)
        }
    }

    @Test func theMapOfTheFilteredListShowsOnlyWhatTheRoleMaySee() async throws {
        try await withApp(now: monday, demoSignals: 60) { app in
            let officer = try await staff(app, "co@oss.test", .areaCoordinator, areas: ["ruwaard"])
            let map = try await officer.get("/werk/meldingen/kaart?open=ja")
            #expect(map.status == .ok && map.text.contains("<a href=\"/werk/meldingen/SIG-") && map.text.contains("Terug naar de lijst met dezelfde filters"))
            let points = try await officer.get("/werk/meldingen/kaart.geojson?open=ja")
            let json = try JSONSerialization.jsonObject(with: Data(points.body.readableBytesView)) as! [String: Any]
            let features = json["features"] as! [[String: Any]]
            #expect(!features.isEmpty)
            let ruwaard = try await Fixture.area(app, "ruwaard")
            for f in features {
                let href = (f["properties"] as! [String: Any])["href"] as! String
                let code = String(href.split(separator: "/").last!)
                let signal = try #require(try await Signal.query(on: app.db).filter(\.$trackingCode == code).first())
                #expect(signal.areaID == ruwaard.id && !signal.state.isClosed, "a coordinator's map holds the open signals of the own area only")
            }
            #expect(!points.body.string.contains("@"), "no contact details on the map")
        }
    }

    @Test func standardAnswersArePickedAndEdited() async throws {
        try await withApp(now: monday) { app in
            let code = try await reported(app, category: "straatverlichting", text: "Lamp kapot")
            let admin = try await Fixture.adminBrowser(app, municipality: "GM0828")
            let path = "/beheer/gemeenten/oss/meldingen/standaardantwoorden"
            let empty = try await admin.submit(path, [("titel", ""), ("status", "gemeld"), ("taal", "de"), ("tekst", "")])
            #expect(empty.status == .unprocessableEntity && empty.text.contains("Titel:") && empty.text.contains("Kies Nederlands of Engels"))
            let category = try #require(try await SignalCategory.query(on: app.db).filter(\.$code == "straatverlichting").first())
            _ = try await admin.submit(path, [("titel", "Lamp vervangen"), ("status", "afgehandeld"), ("onderwerp", category.id!.uuidString), ("taal", "nl"),
                                              ("tekst", "We hebben de lamp vervangen. Dank voor uw melding.")])
            _ = try await admin.submit(path, [("titel", "Bin emptied"), ("status", "afgehandeld"), ("taal", "en"), ("tekst", "We emptied the bin.")])
            let graffiti = try #require(try await SignalCategory.query(on: app.db).filter(\.$code == "graffiti").first())
            _ = try await admin.submit(path, [("titel", "Graffiti weg"), ("status", "afgehandeld"), ("onderwerp", graffiti.id!.uuidString), ("taal", "nl"), ("tekst", "Weg.")])
            #expect(try await SignalStandardAnswer.query(on: app.db).count() == 3)
            let twice = try await admin.submit(path, [("titel", "lamp vervangen"), ("status", "afgehandeld"), ("onderwerp", category.id!.uuidString), ("taal", "nl"),
                                                      ("tekst", "Nog een keer.")])
            #expect(twice.status == .unprocessableEntity && twice.text.contains("Er is al een standaardantwoord lamp vervangen"), "the same title twice is refused")
            #expect(twice.text.contains("Nog een keer."), "what was typed stays")
            #expect(try await SignalStandardAnswer.query(on: app.db).count() == 3)

            let officer = try await staff(app, "or@oss.test", .departmentOfficer, department: "Openbare ruimte")
            let signalPage = try await officer.get("/werk/meldingen/\(code)").text
            #expect(signalPage.contains("Lamp vervangen") && !signalPage.contains("Bin emptied") && !signalPage.contains("Graffiti weg"),
                    "only answers in the reporter's language, for this subject")
            let answer = try #require(try await SignalStandardAnswer.query(on: app.db).filter(\.$title == "Lamp vervangen").first())
            let filled = try await officer.get("/werk/meldingen/\(code)?antwoord=\(answer.id!)").text
            #expect(filled.contains(">We hebben de lamp vervangen. Dank voor uw melding.</textarea>") && filled.contains("value=\"afgehandeld\" selected"))
            // Another municipality's administrator cannot touch it.
            let other = try await Fixture.adminBrowser(app, municipality: "GM0826")
            #expect(try await other.get("/beheer/gemeenten/oss/meldingen/standaardantwoorden/\(answer.id!)").status.code >= 400)
            // Edit and delete (asked first), each in the audit log.
            let edited = try await admin.submit("\(path)/\(answer.id!)", [("titel", "Lamp vervangen"), ("status", "afgehandeld"), ("onderwerp", category.id!.uuidString),
                                                                           ("taal", "nl"), ("tekst", "De lamp brandt weer.")])
            #expect(edited.status == .seeOther)
            #expect(try await admin.get("\(path)/\(answer.id!)/verwijderen").text.contains("Weet u zeker"))
            _ = try await admin.submit("\(path)/\(answer.id!)/verwijderen", [])
            #expect(try await SignalStandardAnswer.find(answer.id, on: app.db) == nil)
            let actions = try await AuditEntry.query(on: app.db).all().map(\.action)
            #expect(actions.contains("signals.answer.create") && actions.contains("signals.answer.update") && actions.contains("signals.answer.delete"))
        }
    }

    @Test func aRoutingRuleIsChangedWhereItIs() async throws {
        try await withApp(now: monday) { app in
            let admin = try await Fixture.adminBrowser(app, municipality: "GM0828")
            let rule = try #require(try await RoutingRuleRecord.query(on: app.db).sort(\.$position).first())
            let path = "/beheer/gemeenten/oss/meldingen/regels/\(rule.id!)"
            let overview = try await admin.get("/beheer/gemeenten/oss/meldingen").text
            #expect(overview.contains("href=\"\(path)\""))
            let form = try await admin.get(path).text
            #expect(form.contains("value=\"\(rule.position)\""))
            let bad = try await admin.submit(path, [("position", "tien"), ("department", rule.$department.id.uuidString), ("from", ""), ("to", "")])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("value=\"tien\""))
            let good = try await admin.submit(path, [("position", "5"), ("department", rule.$department.id.uuidString), ("from", "08:00"), ("to", "17:00"), ("weekdays[]", "2")])
            #expect(good.status == .seeOther)
            let saved = try #require(try await RoutingRuleRecord.find(rule.id, on: app.db))
            #expect(saved.position == 5 && saved.fromMinute == 480 && saved.toMinute == 1020 && saved.weekdays == "2")
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "signals.rule.update").count() == 1)
        }
    }

    @Test func theDashboardComparesHandlingWithTheDeadlinePerSubject() async throws {
        try await withApp(now: monday, demoSignals: 120) { app in
            let coordinator = try await staff(app, "gm@oss.test", .areaManager)
            let page = try await coordinator.get("/werk/meldingen/overzicht").text
            #expect(page.contains("id=\"grafiek-termijn-titel\"") && page.contains("Binnen de termijn") && page.contains("Na de termijn"))
        }
    }
}

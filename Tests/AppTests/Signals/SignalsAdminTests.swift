import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import Domain

private let monday = DutchTime.calendar.date(from: DateComponents(year: 2026, month: 11, day: 23, hour: 10))!

@Suite("Signals admin", .serialized)
struct SignalsAdminTests {
    static let page = "/beheer/gemeenten/oss/meldingen"

    @Test func routingRulesAreDataEditedInTheInterface() async throws {
        try await withApp(now: monday) { app in
            let admin = try await Fixture.adminBrowser(app, municipality: "GM0828")
            let oss = try #require(try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first())
            let lamp = try #require(try await SignalCategory.query(on: app.db).filter(\.$code == "straatverlichting").filter(\.$municipality.$id == oss.requireID()).first())
            let vth = try #require(try await Department.query(on: app.db).filter(\.$name == "Vergunningen, toezicht en handhaving").filter(\.$municipality.$id == oss.requireID()).first())
            #expect(try await admin.get(Self.page).status == .ok)
            let bad = try await admin.submit(Self.page, to: Self.page + "/regels", [("position", "1"), ("category", lamp.id!.uuidString), ("from", "17:00"), ("department", "")])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("Kies een afdeling uit de lijst") && bad.text.contains("Vul zowel"))
            let ok = try await admin.submit(Self.page, to: Self.page + "/regels", [("position", "1"), ("category", lamp.id!.uuidString), ("weekdays[]", "2"),
                                                                                   ("from", "08:00"), ("to", "18:00"), ("department", vth.id!.uuidString)])
            #expect(ok.status == .seeOther)
            // Monday 10:00 matches the new first rule.
            let signal = try await SignalService.report(SignalIntake(municipalityID: oss.requireID(), category: lamp, description: "Lamp", place: "x", position: nil, neighbourhoodID: nil,
                                                                     pageAreaID: nil, answers: [:], email: nil, phone: nil, photo: nil, source: "web"),
                                                        at: monday, on: app.db, mailer: SignalMailer(app))
            #expect(signal.departmentID == vth.id)
            // Deleting the rule does not move the signal already routed.
            let rule = try #require(try await RoutingRuleRecord.query(on: app.db).filter(\.$position == 1).first())
            #expect(try await admin.submit(Self.page, to: Self.page + "/regels/\(rule.id!)/verwijderen", []).status == .seeOther)
            #expect(try await Signal.find(signal.id, on: app.db)?.departmentID == vth.id)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "signals.rule.delete").count() == 1)
        }
    }

    @Test func theLadderAndTheSettingsAreValidated() async throws {
        try await withApp(now: monday) { app in
            let admin = try await Fixture.adminBrowser(app, municipality: "GM0828")
            let wrong = try await admin.submit(Self.page, to: Self.page + "/escalatie", [("days0", "5"), ("role0", "areaCoordinator"), ("days1", "3"), ("role1", "teamLead")])
            #expect(wrong.status == .unprocessableEntity && wrong.text.contains("Elke trap moet later zijn"))
            #expect(wrong.text.contains("value=\"3\""), "the form keeps what was typed")
            let ok = try await admin.submit(Self.page, to: Self.page + "/escalatie", [("days0", "0"), ("role0", "areaCoordinator"), ("days1", "3"), ("role1", "areaAlderman")])
            #expect(ok.status == .seeOther)
            let oss = try #require(try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first())
            let ladder = try await EscalationStepRecord.query(on: app.db).filter(\.$municipality.$id == oss.requireID()).sort(\.$level).all()
            #expect(ladder.map(\.step) == [EscalationStep(level: 1, workingDaysAfterDeadline: 0, role: .areaCoordinator), EscalationStep(level: 2, workingDaysAfterDeadline: 3, role: .areaAlderman)])

            let settings = try await admin.submit(Self.page, to: Self.page + "/instellingen", [("jurisdiction", "oosterhout.nl"), ("liberationDay", "everyYear"), ("retentionDays", "400")])
            #expect(settings.status == .unprocessableEntity && settings.text.contains("Een andere gemeente gebruikt deze naam al"))
            let saved = try await admin.submit(Self.page, to: Self.page + "/instellingen", [("jurisdiction", "gemeente-oss.nl"), ("goodFriday", "ja"), ("liberationDay", "everyYear"),
                                                                                           ("retentionDays", "400"), ("mailStates[]", "afgehandeld")])
            #expect(saved.status == .seeOther)
            let stored = try #require(try await SignalSettings.query(on: app.db).filter(\.$municipality.$id == oss.requireID()).first())
            #expect(stored.jurisdiction == "gemeente-oss.nl" && stored.goodFriday && stored.retentionDays == 400 && stored.mailedStates == [.afgehandeld])
            #expect(stored.holidays.isHoliday(Day(2026, 4, 3)) && stored.holidays.isHoliday(Day(2026, 5, 5)))

            let lamp = try #require(try await SignalCategory.query(on: app.db).filter(\.$code == "straatverlichting").filter(\.$municipality.$id == oss.requireID()).first())
            let path = Self.page + "/onderwerpen/\(lamp.id!)"
            #expect(try await admin.submit(path, [("termDays", "-1"), ("termUnit", "workingDays")]).status == .unprocessableEntity)
            #expect(try await admin.submit(path, [("termDays", "3"), ("termUnit", "calendarDays"), ("isPublic", "ja"), ("active", "ja")]).status == .seeOther)
            #expect(try await SignalCategory.find(lamp.id, on: app.db)?.term == HandlingTerm(days: 3, unit: .calendarDays))
        }
    }

    @Test func open311KeysAreShownOnceAndCanBeRevoked() async throws {
        try await withApp(now: monday) { app in
            let admin = try await Fixture.adminBrowser(app, municipality: "GM0828")
            #expect(try await admin.submit(Self.page, to: Self.page + "/open311", [("name", "")]).status == .unprocessableEntity)
            let created = try await admin.submit(Self.page, to: Self.page + "/open311", [("name", "Buitenbeter")])
            #expect(created.status == .created)
            let key = try #require(created.text.firstMatch(of: /ww311_[A-Za-z0-9]+/).map { String($0.output) })
            #expect(!(try await admin.get(Self.page).text.contains(key)), "shown once")
            #expect(try await Open311Key.query(on: app.db).first()?.keyHash == Open311Key.hash(key))
            var headers = HTTPHeaders()
            headers.contentType = .urlEncodedForm
            let body = "jurisdiction_id=oss.nl&api_key=\(key)&service_code=zwerfafval&address_string=Markt&description=Rommel"
            #expect(try await app.testing().sendRequest(.POST, "/open311/v2/requests.json", headers: headers, body: ByteBuffer(string: body)).status == .ok)
            let stored = try #require(try await Open311Key.query(on: app.db).first())
            #expect(try await admin.submit(Self.page, to: Self.page + "/open311/\(stored.id!)/intrekken", []).status == .seeOther)
            #expect(try await app.testing().sendRequest(.POST, "/open311/v2/requests.json", headers: headers, body: ByteBuffer(string: body)).status == .forbidden)
        }
    }

    @Test func onlyTheMunicipalitysAdminsMayChangeIt() async throws {
        try await withApp(now: monday) { app in
            let other = try await Fixture.adminBrowser(app, municipality: "GM0826")
            #expect(try await other.get(Self.page).status == .forbidden)
            try await Fixture.user(app, email: "co@oss.test", role: .areaCoordinator, areas: ["ruwaard"])
            let coordinator = TestBrowser(app)
            _ = try await coordinator.login("co@oss.test", Fixture.password)
            #expect(try await coordinator.get(Self.page).status == .forbidden)
            #expect(try await coordinator.submit(Self.page, to: Self.page + "/regels", [("position", "1")]).status == .forbidden)
        }
    }
}

import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import Domain

@Suite("Admin: users, departments and the permission matrix")
struct AdminUsersTests {
    @Test func adminCreatesACoordinatorForOneArea() async throws {
        try await withApp { app in
            let browser = try await Fixture.adminBrowser(app)
            let oss = try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first()!
            let ruwaard = try await Fixture.area(app, "ruwaard")
            let response = try await browser.submit("/beheer/gebruikers/nieuw", [
                ("name", "Wim Wijkcoördinator"), ("email", "wim@oss.test"), ("role", "areaCoordinator"), ("municipality", try oss.requireID().uuidString),
                ("areas[]", try ruwaard.requireID().uuidString), ("department", ""), ("password", "Wachtwoord-van-wim"), ("active", "ja"),
            ])
            #expect(response.status == .seeOther)
            let list = try await browser.get("/beheer/gebruikers").text
            #expect(list.contains("Wim Wijkcoördinator"))
            #expect(list.contains("Gebruiker Wim Wijkcoördinator is toegevoegd."))
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "wim@oss.test").with(\.$areas).first())
            #expect(user.areas.map(\.slug) == ["ruwaard"])
            let audit = try #require(try await AuditEntry.query(on: app.db).filter(\.$action == "user.create").filter(\.$entityID == user.requireID().uuidString).first())
            #expect(audit.after?.contains("areaCoordinator") == true)
            #expect(audit.after?.contains("password") == false, "no password hash in the audit log")
            #expect(audit.actorName.contains("beheer-"))
            let page = try await TestBrowser(app).get("/gemeenten/oss/gebieden/ruwaard").text
            #expect(page.contains("Wim Wijkcoördinator"))
        }
    }

    @Test func badUserInputComesBackWithEveryErrorAndTheValues() async throws {
        try await withApp { app in
            let browser = try await Fixture.adminBrowser(app)
            try await Fixture.user(app, email: "bestaat@oss.test", role: .executive)
            let response = try await browser.submit("/beheer/gebruikers/nieuw", [
                ("name", ""), ("email", "Bestaat@oss.test"), ("role", "areaCoordinator"), ("municipality", ""), ("password", "kort"), ("active", "ja"),
            ])
            #expect(response.status == .unprocessableEntity)
            let html = response.text
            #expect(html.contains("<title>Fout: 5 vragen niet goed ingevuld"))
            #expect(html.contains("class=\"ww-error-summary\""))
            for anchor in ["#name", "#email", "#municipality", "#areas", "#password"] { #expect(html.contains("href=\"\(anchor)\""), "\(anchor)") }
            #expect(html.contains("Er is al een gebruiker met dit e-mailadres."))
            #expect(html.contains("value=\"Bestaat@oss.test\""), "what was typed is kept")
            #expect(html.contains("aria-invalid=\"true\""))
            #expect(try await User.query(on: app.db).count() == 2, "nothing saved")
        }
    }

    @Test func municipalAdminOnlyManagesOwnMunicipality() async throws {
        try await withApp { app in
            let browser = try await Fixture.adminBrowser(app, municipality: "GM0828")
            #expect(try await browser.get("/beheer/gemeenten/oss/gebieden").status == .ok)
            #expect(try await browser.get("/beheer/gemeenten/oosterhout/gebieden").status == .forbidden)
            #expect(try await browser.get("/beheer/gemeenten/oosterhout/indeling").status == .forbidden)
            let other = try await Fixture.user(app, email: "ander@oosterhout.test", role: .executive, municipality: "GM0826")
            #expect(try await browser.get("/beheer/gebruikers/\(other.requireID())").status == .forbidden)
            let list = try await browser.get("/beheer/gebruikers").text
            #expect(!list.contains("ander@oosterhout.test"))
        }
    }

    /// The HTTP side of the permission rules: who reaches which admin page.
    @Test(arguments: [
        (Role.areaCoordinator, ["ruwaard"], nil as String?, HTTPStatus.forbidden),
        (.areaAlderman, ["ruwaard"], nil, .forbidden),
        (.departmentOfficer, [], "Openbare ruimte", .forbidden),
        (.executive, [], nil, .forbidden),
        (.admin, [], nil, .ok),
    ] as [(Role, [String], String?, HTTPStatus)])
    func adminPagesByRole(role: Role, areas: [String], department: String?, expected: HTTPStatus) async throws {
        try await withApp { app in
            try await Fixture.user(app, email: "wie@oss.test", role: role, areas: areas, department: department)
            let browser = TestBrowser(app)
            #expect(try await browser.login("wie@oss.test", Fixture.password).status == .seeOther)
            for path in ["/beheer", "/beheer/gebruikers", "/beheer/logboek", "/beheer/gemeenten/oss/indeling", "/beheer/gemeenten/oss/afdelingen"] {
                let status = try await browser.get(path).status
                #expect(status == expected, "\(role) \(path)")
            }
        }
    }

    @Test func adminCannotRemoveOwnAdminRole() async throws {
        try await withApp { app in
            let browser = try await Fixture.adminBrowser(app)
            let me = try #require(try await User.query(on: app.db).filter(\.$role == .admin).first())
            let response = try await browser.submit("/beheer/gebruikers/\(me.requireID())", [("name", me.name), ("email", me.email), ("role", "executive"), ("municipality", ""), ("password", ""), ("active", "ja")])
            #expect(response.status == .unprocessableEntity)
            #expect(try await User.find(me.id, on: app.db)?.role == .admin)
        }
    }

    @Test func departmentsAreCreatedValidatedAndAudited() async throws {
        try await withApp { app in
            let browser = try await Fixture.adminBrowser(app)
            let lead = try await Fixture.user(app, email: "lead@oss.test", role: .teamLead, department: "Sociaal domein")
            let ok = try await browser.submit("/beheer/gemeenten/oss/afdelingen", [("name", "Wijkteams"), ("domain", "sociaal"), ("teamLead", try lead.requireID().uuidString)])
            #expect(ok.status == .seeOther)
            let d = try #require(try await Department.query(on: app.db).filter(\.$name == "Wijkteams").first())
            #expect(d.teamLeadID == lead.id)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "department.create").count() == 1)
            let bad = try await browser.submit("/beheer/gemeenten/oss/afdelingen", [("name", "wijkteams"), ("domain", "ruimtevaart"), ("teamLead", UUID().uuidString)])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.text.contains("Er is al een afdeling met de naam wijkteams."))
            #expect(bad.text.contains("Kies het domein van de afdeling."))
            #expect(bad.text.contains("Kies een teamleider uit de lijst."))
        }
    }
}

@Suite("Admin: nobody overwrites a newer change unseen")
struct EditConflictTests {
    @Test func aStaleUserFormIsAConflictAndKeepsTheInput() async throws {
        try await withApp { app in
            let browser = try await Fixture.adminBrowser(app)
            let jan = try await Fixture.user(app, email: "jan@oss.test", role: .executive)
            let path = "/beheer/gebruikers/\(try jan.requireID())"
            let staleToken = try #require(TestBrowser.hidden("versie", in: try await browser.get(path).text))
            let block = try await browser.submit(path, [("name", "Jan"), ("email", "jan@oss.test"), ("role", "executive"), ("municipality", try jan.$municipality.id!.uuidString), ("password", ""), ("active", "nee")])
            #expect(block.status == .seeOther)
            let stale = try await browser.submit(path, [("name", "Jan Jansen"), ("email", "jan@oss.test"), ("role", "executive"), ("municipality", try jan.$municipality.id!.uuidString), ("password", ""), ("active", "ja"), ("versie", staleToken)])
            #expect(stale.status == .conflict)
            #expect(stale.text.contains("Iemand anders heeft dit net gewijzigd"))
            #expect(stale.text.contains("value=\"Jan Jansen\""), "the input is kept")
            let fresh = try #require(try await User.find(jan.id, on: app.db))
            #expect(fresh.active == false, "the block stays")
            #expect(fresh.name == "Jan")
        }
    }

    @Test func aStaleAreaFormIsAConflict() async throws {
        try await withApp { app in
            let browser = try await Fixture.adminBrowser(app)
            let area = try await Fixture.area(app, "herpen")
            let path = "/beheer/gemeenten/oss/gebieden/\(try area.requireID())"
            let staleToken = try #require(TestBrowser.hidden("versie", in: try await browser.get(path).text))
            #expect(try await browser.submit(path, [("name", "Herpen en Overlangel"), ("kind", "village")]).status == .seeOther)
            let stale = try await browser.submit(path, [("name", "Herpen-Dorp"), ("kind", "village"), ("versie", staleToken)])
            #expect(stale.status == .conflict)
            #expect(try await Area.find(area.id, on: app.db)?.name == "Herpen en Overlangel")
        }
    }

    @Test func aBlockedUserLosesTheirSessionAtOnce() async throws {
        try await withApp { app in
            let admin = try await Fixture.adminBrowser(app)
            let piet = try await Fixture.user(app, email: "piet@oss.test", role: .admin, municipality: "GM0828")
            let pietsBrowser = TestBrowser(app)
            #expect(try await pietsBrowser.login("piet@oss.test", Fixture.password).status == .seeOther)
            #expect(try await pietsBrowser.get("/").text.contains("Ingelogd als Piet"))
            let path = "/beheer/gebruikers/\(try piet.requireID())"
            #expect(try await admin.submit(path, [("name", "Piet"), ("email", "piet@oss.test"), ("role", "admin"), ("municipality", try piet.$municipality.id!.uuidString), ("password", ""), ("active", "nee")]).status == .seeOther)
            #expect(!(try await pietsBrowser.get("/").text.contains("Ingelogd als Piet")))
            #expect(try await pietsBrowser.get("/beheer").status == .seeOther)
        }
    }
}

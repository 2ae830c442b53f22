import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import Domain

@Suite("Area cycle: products, consultation, adoption, versions, projects and linking opportunities")
struct AreaCycleTests {
    static let now = Date(timeIntervalSince1970: 1_795_435_200) // 23 November 2026
    static let base = "/gemeenten/oss/gebieden/ruwaard/gebiedscyclus"

    /// Each test starts from no cycle at all (the demo's cycle has its own test).
    static func clearDemo(_ app: Application) async throws {
        try await CycleProduct.query(on: app.db).filter(\.$demo == true).delete()
        try await AreaProject.query(on: app.db).filter(\.$demo == true).delete()
        try await CycleNotYet.query(on: app.db).delete()
    }

    @Test func theDemoShowsAreasInEveryStage() async throws {
        try await withApp(now: Self.now) { app in
            let page = try await TestBrowser(app).get("/gemeenten/oss/gebiedscyclus")
            #expect(page.status == .ok && page.text.contains("Actueel tot") && page.text.contains("Verouderd sinds") && page.text.contains("Nog niet nodig"))
            #expect(page.text.contains("Reageren kan tot en met"), "one agenda in consultation")
            let m = try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first()!
            let first = try await Area.query(on: app.db).filter(\.$municipality.$id == m.requireID()).sort(\.$position).first()!
            let api = try await TestBrowser(app).get("/api/v1/areas/\(first.id!.uuidString)/cycle")
            let json = try JSONSerialization.jsonObject(with: Data(api.body.readableBytesView)) as! [String: Any]
            let products = json["products"] as! [[String: Any]]
            #expect(products.map { $0["kind"] as! String } == ["analysis", "agenda", "plan", "monitor"])
            #expect(products.allSatisfy { $0["freshness"] as? String == "current" })
            let plan = (products[2]["versions"] as! [[String: Any]])[0]
            #expect((plan["items"] as! [[String: Any]]).count == 3 && plan["adoptedOn"] is String)
            let area = try await TestBrowser(app).get("/gemeenten/oss/gebieden/\(first.slug)").text
            #expect(area.contains("Gebiedsagenda en gebiedsplan") && area.contains("S1. Een plek voor jongeren"))
        }
    }

    static func logIn(_ app: Application, _ email: String, role: Role, areas: [String] = [], department: String? = nil) async throws -> TestBrowser {
        try await Fixture.user(app, email: email, role: role, areas: areas, department: department)
        let b = TestBrowser(app)
        _ = try await b.login(email, Fixture.password)
        return b
    }

    @Test func anAgendaGoesFromDraftThroughConsultationToAdoptionAndANewVersionKeepsTheHistory() async throws {
        try await withApp(now: Self.now) { app in
            try await Self.clearDemo(app)
            let coordinator = try await Self.logIn(app, "c@ruwaard.test", role: .areaCoordinator, areas: ["ruwaard"])
            let overview = try await coordinator.get(Self.base)
            #expect(overview.status == .ok && overview.text.contains("Gebiedsagenda") && overview.text.contains("Nog niet vastgesteld"))
            #expect(try await coordinator.submit(Self.base, to: Self.base + "/nieuw", [("soort", "agenda")]).status == .seeOther)
            let agenda = Self.base + "/agenda/1"
            #expect(try await TestBrowser(app).get(agenda).status == .notFound, "a draft is not public")
            #expect(try await coordinator.submit(agenda, to: agenda + "/tekst", [("titel", "Agenda van Ruwaard 2027"), ("tekst", "Samen met de wijkraad.")]).status == .seeOther)
            let bad = try await coordinator.submit(agenda, to: agenda + "/speerpunten", [("sp_titel", "Jongeren een plek"), ("sp_succes", "Een plek in 2027"), ("sp_wie", "Welzijn")])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("Jongeren een plek"), "what was typed is kept")
            #expect(try await coordinator.submit(agenda, to: agenda + "/speerpunten", [("sp_titel", "Jongeren een plek"), ("sp_waarom", "Overlast en verveling"),
                                                                                       ("sp_succes", "Een plek in 2027"), ("sp_wie", "Welzijn, wijkraad")]).status == .seeOther)
            // Adoption needs a consultation first.
            let early = try await coordinator.submit(agenda, to: agenda + "/stap", [("stap", "submit")])
            #expect(early.status == .conflict && early.text.contains("moet eerst in consultatie"))
            let past = try await coordinator.submit(agenda, to: agenda + "/stap", [("stap", "openConsultation"), ("einde", "2026-11-01")])
            #expect(past.status == .unprocessableEntity)
            #expect(try await coordinator.submit(agenda, to: agenda + "/stap", [("stap", "openConsultation"), ("einde", "2026-12-31")]).status == .seeOther)
            // Anyone responds while it is open.
            let resident = TestBrowser(app)
            let page = try await resident.get(agenda)
            #expect(page.status == .ok && page.text.contains("Jongeren een plek") && page.text.contains("Reactie versturen"))
            #expect(try await resident.submit(agenda, to: agenda + "/reacties", [("reactie", "Denk ook aan de ouderen")]).status == .unprocessableEntity)
            #expect(try await resident.submit(agenda, to: agenda + "/reacties", [("rol", "resident"), ("reactie", "Denk ook aan de ouderen"), ("naam", "Mevrouw Jansen")]).status == .seeOther)
            #expect(try await coordinator.submit(agenda, to: agenda + "/stap", [("stap", "submit")]).status == .conflict, "not while the consultation runs")
            // After the end date: no more responses; the coordinator answers and submits.
            app.clock = .fixed(Self.now.addingTimeInterval(40 * 86_400))
            _ = try await coordinator.login("c@ruwaard.test", Fixture.password) // the session of 40 days ago has expired
            let lateForm = try await resident.get(agenda).text
            #expect(!lateForm.contains("Reactie versturen"), "no form after the end date")
            let late = try await resident.post(agenda + "/reacties", form: [("csrf", TestBrowser.csrf(in: lateForm)), ("rol", "resident"), ("reactie", "Te laat")])
            #expect(late.status == .conflict || late.status == .forbidden)
            if late.status == .conflict { #expect(late.text.contains("Te laat"), "what was typed is shown back") }
            #expect(try await CycleResponse.query(on: app.db).count() == 1)
            let answered = try await CycleResponse.query(on: app.db).first()!
            #expect(try await coordinator.submit(agenda, to: agenda + "/reacties/\(answered.id!.uuidString)", [("antwoord-\(answered.id!.uuidString)", "Toegevoegd aan speerpunt S1")]).status == .seeOther)
            #expect(try await coordinator.submit(agenda, to: agenda + "/stap", [("stap", "submit")]).status == .seeOther)
            #expect(try await CycleProduct.query(on: app.db).first()?.status == .submitted)
            // Only the college adopts; the coordinator may not.
            #expect(try await coordinator.submit(agenda, to: agenda + "/stap", [("stap", "adopt"), ("datum", "2027-01-02"), ("besluit", "x")]).status == .forbidden)
            let alderman = try await Self.logIn(app, "w@ruwaard.test", role: .areaAlderman, areas: ["ruwaard"])
            #expect(try await alderman.submit(agenda, to: agenda + "/stap", [("stap", "adopt"), ("datum", "2027-01-02"), ("besluit", "")]).status == .unprocessableEntity)
            let tooEarly = try await alderman.submit(agenda, to: agenda + "/stap", [("stap", "adopt"), ("datum", "1900-01-01"), ("besluit", "Besluit")])
            #expect(tooEarly.status == .unprocessableEntity && tooEarly.text.contains("voordat het product werd aangeboden"))
            #expect(try await alderman.submit(agenda, to: agenda + "/stap", [("stap", "adopt"), ("datum", "2027-01-02"), ("besluit", "Collegebesluit 2027/12")]).status == .seeOther)
            let adopted = try await TestBrowser(app).get(agenda).text
            #expect(adopted.contains("Vastgesteld door het college op 2 januari 2027") && adopted.contains("Collegebesluit 2027/12"))
            #expect(adopted.contains("Denk ook aan de ouderen") && adopted.contains("Toegevoegd aan speerpunt S1"), "responses and what was done stay visible")
            #expect(try await TestBrowser(app).get(Self.base).text.contains("Actueel tot 2 januari 2028"))
            // The yearly adjustment: version 2 starts as a copy, shows what changed, and on adoption replaces version 1.
            #expect(try await coordinator.submit(Self.base, to: Self.base + "/nieuw", [("soort", "agenda")]).status == .seeOther)
            let v2 = Self.base + "/agenda/2"
            #expect(try await coordinator.submit(v2, to: v2 + "/speerpunten", [("sp_titel", "Schone straten"), ("sp_waarom", "Veel meldingen"), ("sp_succes", "Minder meldingen"), ("sp_wie", "Openbare ruimte")]).status == .seeOther)
            let draft = try await coordinator.get(v2).text
            #expect(draft.contains("Wat is veranderd sinds versie 1") && draft.contains("Nieuw: Schone straten") && draft.contains("S1. Jongeren een plek") && draft.contains("S2. Schone straten"))
            let rows = try await CycleProduct.query(on: app.db).filter(\.$kind == .agenda).sort(\.$version).all()
            #expect(rows.map(\.status) == [.adopted, .draft])
            // Staleness: thirteen months after adoption the agenda is outdated.
            app.clock = .fixed(Self.now.addingTimeInterval(420 * 86_400))
            #expect(try await TestBrowser(app).get(Self.base).text.contains("Verouderd sinds 2 januari 2028"))
            _ = try await coordinator.login("c@ruwaard.test", Fixture.password)
            // Another area's coordinator cannot touch it.
            let other = try await Self.logIn(app, "c@lith.test", role: .areaCoordinator, areas: ["lith"])
            let token = TestBrowser.csrf(in: try await other.get("/gemeenten/oss/gebieden/lith/gebiedscyclus").text)
            #expect(try await other.post(v2 + "/speerpunten", form: [("csrf", token), ("sp_titel", "x"), ("sp_waarom", "x"), ("sp_succes", "x"), ("sp_wie", "x")]).status == .notFound)
            #expect(try await other.get(v2).status == .notFound, "nor see its draft")
            let response = try await CycleResponse.query(on: app.db).first()!
            #expect(try await other.post(agenda + "/reacties/\(response.id!.uuidString)", form: [("csrf", token), ("antwoord-\(response.id!.uuidString)", "x")]).status == .forbidden,
                    "nor answer its consultation")
            #expect(try await other.post(Self.base + "/nieuw", form: [("csrf", token), ("soort", "plan")]).status == .forbidden)
            #expect(try await other.post(agenda + "/stap", form: [("csrf", token), ("stap", "evaluate")]).status == .forbidden)
        }
    }

    @Test func aPlanItemNeedsAnOwnerAPeriodThatFitsAndKnownSpearheadsAndTakesMoneyFromABudget() async throws {
        try await withApp(now: Self.now) { app in
            try await Self.clearDemo(app)
            let coordinator = try await Self.logIn(app, "c@ruwaard.test", role: .areaCoordinator, areas: ["ruwaard"])
            #expect(try await coordinator.submit(Self.base, to: Self.base + "/nieuw", [("soort", "plan")]).status == .seeOther)
            let plan = Self.base + "/plan/1"
            let noOwner = try await coordinator.submit(plan, to: plan + "/acties", [("ac_titel", "Speelplek"), ("ac_van", "2027-03-01"), ("ac_tot", "2027-02-01"), ("ac_speerpunten", "S9")])
            #expect(noOwner.status == .unprocessableEntity && noOwner.text.contains("De einddatum ligt voor de begindatum") && noOwner.text.contains("Speerpunt S9 bestaat niet"))
            #expect(noOwner.text.contains("value=\"Speelplek\""))
            let area = try await Area.query(on: app.db).filter(\.$slug == "ruwaard").first()!
            let budget = try await AreaBudget.query(on: app.db).filter(\.$area.$id == area.requireID()).first()
            var form = [("ac_titel", "Speelplek"), ("ac_eigenaar", "Openbare ruimte"), ("ac_van", "2027-03-01"), ("ac_tot", "2027-09-30"), ("ac_bedrag", "12.500")]
            if let budget { form.append(("ac_budget", budget.id!.uuidString)) }
            #expect(try await coordinator.submit(plan, to: plan + "/acties", form).status == .seeOther)
            let page = try await coordinator.get(plan).text
            #expect(page.contains("Speelplek") && page.contains("€ 12.500") && page.contains("1 maart 2027"))
            if let budget { #expect(page.contains(budget.name)) }
            // Progress is kept per item; the page shows it.
            let item = try await PlanItem.query(on: app.db).first()!
            #expect(try await coordinator.submit(plan, to: plan + "/acties/\(item.id!.uuidString)", [("voortgang-\(item.id!.uuidString)", "Ontwerp klaar")]).status == .seeOther)
            #expect(try await coordinator.get(plan).text.contains("Ontwerp klaar"))
            // A plan is consulted before the college adopts it.
            #expect(try await coordinator.submit(plan, to: plan + "/stap", [("stap", "submit")]).status == .conflict)
            // An analysis needs no consultation: straight to the college, with the profile's figures at its date and
            // the impressions professionals published (internal notes stay internal).
            for (text, published) in [("Meer jonge gezinnen in de nieuwbouw", true), ("Intern: spanning in de flat", false)] {
                let note = ProfileNote()
                note.$municipality.id = area.$municipality.id; note.$area.id = try area.requireID(); note.authorRole = .welfare; note.text = text
                note.notedOn = Self.now.addingTimeInterval(-86_400); note.isPublic = published; note.createdAt = Self.now
                try await note.create(on: app.db)
            }
            #expect(try await coordinator.submit(Self.base, to: Self.base + "/nieuw", [("soort", "analysis")]).status == .seeOther)
            let analysis = Self.base + "/analyse/1"
            let text = try await coordinator.get(analysis).text
            #expect(text.contains("Cijfers uit het gebiedsprofiel") && text.contains("Inwoners") && text.contains("profiel?datum=2026-11-23"))
            #expect(text.contains("Meer jonge gezinnen in de nieuwbouw") && !text.contains("spanning in de flat"))
            #expect(try await coordinator.submit(analysis, to: analysis + "/stap", [("stap", "submit")]).status == .seeOther)
        }
    }

    @Test func departmentsRegisterProjectsAndTheCoordinatorJudgesLinkingOpportunities() async throws {
        try await withApp(now: Self.now) { app in
            try await Self.clearDemo(app)
            let officer = try await Self.logIn(app, "or@oss.test", role: .departmentOfficer, department: "Openbare ruimte")
            let m = try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first()!
            let s = try await app.areaDirectory.snapshot(for: m, on: app.db)
            let buurt = s.neighbourhoods(of: s.area(slug: "ruwaard")!.id)[0]
            let bad = try await officer.submit("/werk/projecten", [("titel", "Riolering"), ("van", "2027-05-01"), ("tot", "2027-01-01"), ("contact", "Team riool"), ("buurten", "Nergenshuizen")])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("Nergenshuizen") && bad.text.contains("De einddatum ligt voor de begindatum"))
            #expect(bad.text.contains("value=\"Riolering\""), "what was typed is kept")
            #expect(try await officer.submit("/werk/projecten", [("titel", "Riolering vervangen"), ("gebieden[]", "ruwaard"), ("buurten", buurt.code), ("van", "2027-03-01"),
                                                                 ("tot", "2027-10-31"), ("bedrag", "250.000"), ("contact", "Team riool"), ("status", "planned")]).status == .seeOther)
            let coordinator = try await Self.logIn(app, "c@ruwaard.test", role: .areaCoordinator, areas: ["ruwaard"])
            #expect(try await coordinator.submit("/werk/projecten", [("titel", "Groen schoolplein"), ("partner", "Basisschool De Kring"), ("gebieden[]", "ruwaard"),
                                                                     ("buurten", buurt.name), ("van", "2027-06-01"), ("tot", "2027-12-31"), ("contact", "Directeur")]).status == .seeOther)
            // Not in the coordinator's areas: refused on the form, with what was typed; an unknown spearhead too.
            let outside = try await coordinator.submit("/werk/projecten", [("titel", "Elders"), ("partner", "X"), ("gebieden[]", "lith"), ("van", "2027-06-01"), ("tot", "2027-12-31"), ("contact", "Y")])
            #expect(outside.status == .unprocessableEntity && outside.text.contains("value=\"Elders\""))
            #expect(try await coordinator.submit("/werk/projecten", [("titel", "S9"), ("partner", "X"), ("gebieden[]", "ruwaard"), ("van", "2027-06-01"), ("tot", "2027-12-31"),
                                                                     ("contact", "Y"), ("speerpunten", "S999")]).status == .unprocessableEntity)
            let list = try await coordinator.get("/werk/koppelkansen").text
            #expect(list.contains("Riolering vervangen + Groen schoolplein") || list.contains("Groen schoolplein + Riolering vervangen"))
            #expect(list.contains("Zelfde plek (\(buurt.name)) en tijd: 1 juni 2027 – 31 oktober 2027"))
            #expect(list.contains("Nog te beoordelen of te bespreken: 1"))
            let projects = try await AreaProject.query(on: app.db).all().sorted { $0.id!.uuidString < $1.id!.uuidString }
            let (first, second) = (projects[0].id!, projects[1].id!)
            let suffix = "-\(first.uuidString.prefix(8))-\(second.uuidString.prefix(8))"
            #expect(try await coordinator.submit("/werk/koppelkansen", [("eerste", first.uuidString), ("tweede", second.uuidString), ("status" + suffix, "")]).status == .unprocessableEntity)
            #expect(try await coordinator.submit("/werk/koppelkansen", [("eerste", first.uuidString), ("tweede", second.uuidString), ("status" + suffix, "linked"), ("notitie" + suffix, "Samen de straat open")]).status == .seeOther)
            #expect(try await coordinator.get("/werk/koppelkansen").text.contains("Nog te beoordelen of te bespreken: 0"))
            // A pair outside the coordinator's areas is not theirs to judge.
            let other = try await Self.logIn(app, "c@lith.test", role: .areaCoordinator, areas: ["lith"])
            #expect(try await other.submit("/werk/koppelkansen", [("eerste", first.uuidString), ("tweede", second.uuidString), ("status" + suffix, "notRelevant")]).status == .notFound)
        }
    }

    @Test func aProjectImportReportsEveryBadLineAndSavesNothingUntilItIsClean() async throws {
        try await withApp(now: Self.now) { app in
            try await Self.clearDemo(app)
            let officer = try await Self.logIn(app, "or@oss.test", role: .departmentOfficer, department: "Openbare ruimte")
            let csrf = TestBrowser.csrf(in: try await officer.get("/werk/projecten").text)
            func upload(_ text: String) async throws -> TestingHTTPResponse {
                let (h, b) = Multipart.body([("csrf", csrf)], file: .init(field: "bestand", filename: "projecten.csv", contentType: "text/csv", data: Data(text.utf8)))
                return try await app.testing().sendRequest(.POST, "/werk/projecten/import", headers: h.merging(officer), body: b)
            }
            let bad = "titel;gebieden;van;tot;contact;bedrag\nStraat;ruwaard;2027-01-01;2027-06-30;Team;1.000\nPlein;nergens;2027-01-01;2027-06-30;Team;\nPark;ruwaard|lith;2027-09-01;2027-02-01;Team;\n"
            let refused = try await upload(bad)
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("Regel 3: gebieden:") && refused.body.string.contains("Regel 4: tot:") && !refused.body.string.contains("Regel 2:"))
            let latin1 = Data("titel;gebieden;van;tot;contact\nCaf".utf8) + Data([0xE9]) + Data(";ruwaard;2027-01-01;2027-06-30;Team\n".utf8)
            let (h, b) = Multipart.body([("csrf", csrf)], file: .init(field: "bestand", filename: "excel.csv", contentType: "text/csv", data: latin1))
            let notUTF8 = try await app.testing().sendRequest(.POST, "/werk/projecten/import", headers: h.merging(officer), body: b)
            #expect(notUTF8.status == .unprocessableEntity && notUTF8.body.string.contains("CSV UTF-8"))
            #expect(try await AreaProject.query(on: app.db).count() == 0, "nothing half-imported")
            let good = "titel;gebieden;van;tot;contact;bedrag;status\nStraat;ruwaard;2027-01-01;2027-06-30;Team;1.000;\nPark;ruwaard|lith;2027-02-01;2027-09-01;Team;;loopt\n"
            #expect(try await upload(good).status == .seeOther)
            #expect(try await AreaProject.query(on: app.db).count() == 2)
            #expect(try await AreaProject.query(on: app.db).filter(\.$status == .running).count() == 1, "Dutch stages are understood; empty means planned")
        }
    }

    @Test func aRecurringProblemBecomesASpearheadInOneActionAndIsTracked() async throws {
        try await withApp(now: Self.now) { app in
            try await Self.clearDemo(app)
            let m = try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first()!
            let s = try await app.areaDirectory.snapshot(for: m, on: app.db)
            let area = s.area(slug: "ruwaard")!
            let buurt = s.neighbourhoods(of: area.id)[0]
            let category = try await SignalCategory.query(on: app.db).filter(\.$municipality.$id == m.requireID()).filter(\.$parentID != nil).first()!
            for i in 0..<4 {
                let sig = Signal()
                sig.$municipality.id = try m.requireID(); sig.trackingCode = "REC-\(i)"; sig.$category.id = try category.requireID(); sig.areaID = area.id; sig.neighbourhoodID = buurt.id
                sig.text = "Weer kapot"; sig.answersJSON = "{}"; sig.state = .gemeld; sig.reportedAt = Self.now.addingTimeInterval(-Double(10 + i) * 86_400); sig.stateChangedAt = sig.reportedAt
                sig.source = "web"; sig.escalationLevel = 0; sig.version = 1; sig.demo = false; sig.hasPhoto = false; sig.language = "nl"
                try await sig.create(on: app.db)
            }
            let coordinator = try await Self.logIn(app, "c@ruwaard.test", role: .areaCoordinator, areas: ["ruwaard"])
            let profile = "/gemeenten/oss/gebieden/ruwaard/profiel"
            #expect(try await coordinator.get(profile).text.contains("In de agenda"))
            #expect(!(try await TestBrowser(app).get(profile).text.contains("In de agenda")), "only the coordinator")
            let subject = category.name(.nl)
            #expect(try await coordinator.submit(profile, to: profile + "/terugkerend", [("onderwerp", subject), ("buurt", buurt.name), ("aantal", "4")]).status == .seeOther)
            let spearhead = try await Spearhead.query(on: app.db).first()!
            #expect(spearhead.trackedSubject == subject && spearhead.trackedBuurt == buurt.name && spearhead.why.contains("4 meldingen"))
            let page = try await coordinator.get(Self.base + "/agenda/1").text
            #expect(page.contains("Meldingen: 4 in de 1 maanden ervoor, 0 in de 1 maanden erna"))
            #expect(try await coordinator.submit(profile, to: profile + "/terugkerend", [("onderwerp", subject), ("buurt", "Nergenshuizen")]).status == .badRequest)
        }
    }

    @Test func residentsInputIsLinkedToASpearheadAndTheCouncilIsAskedForAdviceOnTheVersion() async throws {
        try await withApp(now: Self.now) { app in
            try await Self.clearDemo(app)
            let coordinator = try await Self.logIn(app, "c@ruwaard.test", role: .areaCoordinator, areas: ["ruwaard"])
            #expect(try await coordinator.submit(Self.base, to: Self.base + "/nieuw", [("soort", "agenda")]).status == .seeOther)
            let agenda = Self.base + "/agenda/1"
            #expect(try await coordinator.submit(agenda, to: agenda + "/speerpunten", [("sp_titel", "Licht in het park"), ("sp_waarom", "Onveilig gevoel"), ("sp_succes", "Minder meldingen"), ("sp_wie", "Openbare ruimte")]).status == .seeOther)
            let ruwaard = try await Area.query(on: app.db).filter(\.$slug == "ruwaard").first()!
            let mine = try await Initiative.query(on: app.db).filter(\.$area.$id == ruwaard.requireID()).filter(\.$status != .draft).first()!
            let elsewhere = try await Initiative.query(on: app.db).filter(\.$area.$id != ruwaard.requireID()).filter(\.$status != .draft).first()!
            let wrong = try await coordinator.submit(agenda, to: agenda + "/koppelingen", [("speerpunt", "S1"), ("verwijzing", elsewhere.code)])
            #expect(wrong.status == .unprocessableEntity && wrong.text.contains("vinden we niet in dit gebied"))
            #expect(try await coordinator.submit(agenda, to: agenda + "/koppelingen", [("speerpunt", "S1"), ("verwijzing", mine.code.lowercased())]).status == .seeOther)
            #expect(try await coordinator.submit(agenda, to: agenda + "/koppelingen", [("speerpunt", "S1"), ("verwijzing", mine.code)]).status == .seeOther)
            #expect(try await SpearheadLink.query(on: app.db).count() == 1, "linked once")
            let page = try await coordinator.get(agenda).text
            #expect(page.contains("Wat bewoners inbrachten") && page.contains("/initiatieven/\(mine.code)"))
            // The council is asked for advice on this version through the advice register.
            #expect(try await coordinator.submit(agenda, to: agenda + "/stap", [("stap", "openConsultation"), ("einde", "2026-12-31")]).status == .seeOther)
            let product = try await CycleProduct.query(on: app.db).first()!
            // An idea of the area taken into the agenda shows it; answered "outside the plan", it links to the adopted plan.
            let idea = try await Idea.query(on: app.db).filter(\.$area.$id == ruwaard.requireID()).first()!
            #expect(try await coordinator.submit(agenda, to: agenda + "/koppelingen", [("speerpunt", "S1"), ("verwijzing", idea.code)]).status == .seeOther)
            let ideaPage = "/gemeenten/oss/ideeen/\(idea.code)"
            #expect(try await TestBrowser(app).get(ideaPage).text.contains("Opgenomen in de gebiedsagenda: speerpunt S1. Licht in het park"))
            let plan = CycleProduct()
            plan.$municipality.id = product.$municipality.id; plan.$area.id = try ruwaard.requireID(); plan.kind = .plan; plan.version = 1; plan.status = .adopted
            plan.title = "Gebiedsplan Ruwaard 2026"; plan.summary = ""; plan.adoptedOn = Self.now.addingTimeInterval(-30 * 86_400); plan.consultationEnds = plan.adoptedOn
            plan.createdAt = Self.now; plan.updatedAt = Self.now; plan.demo = false
            try await plan.create(on: app.db)
            let work = "/werk/ideeen/\(idea.id!.uuidString)"
            #expect(try await coordinator.get(work).text.contains("Verwijs naar het vastgestelde gebiedsplan"))
            #expect(try await coordinator.submit(work, [("antwoord", "Dit kunnen we dit jaar niet doen."), ("buitenplan", "ja")]).status == .seeOther)
            let answered = try await TestBrowser(app).get(ideaPage).text
            #expect(answered.contains("Dit valt buiten het gebiedsplan &#39;Gebiedsplan Ruwaard 2026&#39;") || answered.contains("Dit valt buiten het gebiedsplan 'Gebiedsplan Ruwaard 2026'"))
            #expect(answered.contains(Self.base + "/plan/1"))
            let admin = try await Fixture.adminBrowser(app, municipality: "GM0828")
            let form = try await admin.get("/gemeenten/oss/adviezen/nieuw?product=\(product.id!.uuidString)")
            #expect(form.status == .ok && form.text.contains("Advies over de gebiedsagenda, versie 1") && form.text.contains("name=\"product\""))
            let council = try await Council.query(on: app.db).filter(\.$area.$id == ruwaard.requireID()).first()
            if let council {
                #expect(try await admin.submit("/gemeenten/oss/adviezen/nieuw?product=\(product.id!.uuidString)", to: "/gemeenten/oss/adviezen/nieuw",
                                               [("raad", council.id!.uuidString), ("onderwerp", "Advies over de gebiedsagenda, versie 1"), ("vraag", "Wat vindt de raad?"),
                                                ("gewenst", "2026-12-20"), ("product", product.id!.uuidString)]).status == .seeOther)
                #expect(try await CouncilAdvice.query(on: app.db).filter(\.$cycleProductID == product.id!).count() == 1)
                #expect(try await TestBrowser(app).get(agenda).text.contains("Wat vindt de raad?") == false, "the question lives in the register")
                #expect(try await TestBrowser(app).get(agenda).text.contains("Advies over de gebiedsagenda, versie 1</a> (gevraagd)"))
            }
        }
    }

    @Test func aMunicipalitySetsItsOwnCadenceAndWhatIsConsulted() async throws {
        try await withApp(now: Self.now) { app in
            let admin = try await Fixture.adminBrowser(app, municipality: "GM0828")
            let page = "/gemeenten/oss/gebiedscyclus"
            #expect(try await admin.get(page).text.contains("Cadans en consultatie"))
            #expect(!(try await TestBrowser(app).get(page).text.contains("Cadans en consultatie")), "only for an admin")
            var form = CycleKind.allCases.map { ("maanden-" + $0.rawValue, "12") }
            form[0].1 = "veel"
            let bad = try await admin.submit(page, form + [("consultatie[]", "agenda")])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("Vul een heel aantal maanden in") && bad.text.contains("value=\"veel\""))
            // Plans every two years and not consulted; the demo's outdated agenda (15 months) is current again with 24 months.
            form = [("maanden-analysis", "48"), ("maanden-agenda", "24"), ("maanden-plan", "24"), ("maanden-monitor", "6"), ("consultatie[]", "agenda")]
            #expect(try await admin.submit(page, form).status == .seeOther)
            let after = try await TestBrowser(app).get("/gemeenten/oss/gebieden/ruwaard/gebiedscyclus").text
            #expect(after.contains("Eens per 2 jaar") && !after.contains("Verouderd sinds"))
            // A plan now goes to the college without a consultation.
            try await Self.clearDemo(app)
            let coordinator = try await Self.logIn(app, "c@ruwaard.test", role: .areaCoordinator, areas: ["ruwaard"])
            #expect(try await coordinator.submit(Self.base, to: Self.base + "/nieuw", [("soort", "plan")]).status == .seeOther)
            #expect(try await coordinator.submit(Self.base + "/plan/1", to: Self.base + "/plan/1/stap", [("stap", "submit")]).status == .seeOther)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "cycle.settings").count() == 1)
        }
    }

    @Test func departmentsSystemsRegisterProjectsThroughTheAPIWithAProjectsKey() async throws {
        try await withApp(now: Self.now) { app in
            try await Self.clearDemo(app)
            let m = try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first()!
            let (_, projectsKey) = try await Open311Key.issue(municipality: m.requireID(), name: "Zaaksysteem", scope: .projects, at: Self.now, on: app.db)
            let (_, open311Key) = try await Open311Key.issue(municipality: m.requireID(), name: "App", at: Self.now, on: app.db)
            func post(_ json: String, key: String) async throws -> TestingHTTPResponse {
                var headers = HTTPHeaders()
                headers.contentType = .json
                headers.add(name: "X-Api-Key", value: key)
                return try await app.testing().sendRequest(.POST, "/api/v1/municipalities/GM0828/projects", headers: headers, body: ByteBuffer(string: json))
            }
            let good = #"{"title":"Riolering","department":"Openbare ruimte","areas":["ruwaard"],"startsOn":"2027-03-01","endsOn":"2027-09-30","amountCents":2500000,"contact":"Team riool"}"#
            #expect(try await post(good, key: open311Key).status == .forbidden, "an Open311 key cannot register projects")
            #expect(try await post(good, key: "onzin").status == .forbidden)
            let bad = try await post(#"{"title":"","areas":["nergens"],"startsOn":"2027-09-01","endsOn":"2027-03-01"}"#, key: projectsKey)
            #expect(bad.status == .unprocessableEntity)
            let problems = try JSONSerialization.jsonObject(with: Data(bad.body.readableBytesView)) as! [String: Any]
            let fields = Set((problems["errors"] as! [[String: Any]]).compactMap { $0["field"] as? String })
            #expect(fields.isSuperset(of: ["titel", "gebieden", "tot", "contact"]))
            #expect(try await post("geen json", key: projectsKey).status == .badRequest)
            let created = try await post(good, key: projectsKey)
            #expect(created.status == .created)
            let list = try await TestBrowser(app).get("/api/v1/municipalities/GM0828/projects?area=ruwaard")
            let items = try JSONSerialization.jsonObject(with: Data(list.body.readableBytesView)) as! [[String: Any]]
            #expect(items.count == 1 && items[0]["owner"] as? String == "Openbare ruimte" && items[0]["contact"] == nil, "no contact person in the public list")
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "project.create").first()?.summary.hasPrefix("API: Zaaksysteem") == true)
        }
    }
}

import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import Domain

@Suite("Initiatives and area budgets")
struct InitiativeTests {
    static let now = Date(timeIntervalSince1970: 1_795_435_200) // 23 November 2026
    static let area = "/gemeenten/oss"

    static func proposal(title: String = "Speeltuin opknappen", amount: String = "1.500", lines: [(String, String)] = [("Verf en hout", "1000"), ("Zand", "500")],
                         area: String = "berghem", email: String = "anna@voorbeeld.nl") -> [(String, String)] {
        var form = [("gebied", area), ("titel", title), ("wat", "De speeltuin is oud. Wij knappen hem samen op. Bel mij op 06-12345678."),
                    ("voorwie", "Kinderen uit de buurt"), ("waar", "Speeltuin Kerkstraat"), ("wanneer", "Voorjaar 2027"), ("thema", "play"), ("bedrag", amount),
                    ("eigen", "Wij schilderen zelf"), ("naam", "Anna de Vries"), ("email", email), ("telefoon", "06 12345678"), ("actie", "indienen")]
        for (i, line) in lines.enumerated() { form += [("regel\(i + 1)", line.0), ("regel\(i + 1)-bedrag", line.1)] }
        return form
    }

    /// A budget set up through the staff page, as an admin of Oss does it.
    static func budget(_ app: Application, admin: TestBrowser, area: String, name: String, decider: String, amount: String, mandate: String = "") async throws -> AreaBudget {
        let response = try await admin.submit("/werk/budgetten", [("gebied", area), ("jaar", "2026"), ("soort", decider == "coordinator" ? "discretionary" : "initiatives"),
                                                                ("naam", name), ("beslisser", decider), ("mandaat", mandate), ("bedrag", amount)])
        #expect(response.status == .seeOther, "\(response.text.prefix(400))")
        return try await AreaBudget.query(on: app.db).filter(\.$name == name).first()!
    }

    static func ownLink(_ app: Application, to email: String) async throws -> String {
        let mail = try await OutgoingMail.query(on: app.db).filter(\.$recipient == email).sort(\.$createdAt).first()!
        let range = mail.body.range(of: "/gemeenten/oss/initiatieven/INI-[0-9]{4}-[0-9]{4}/sleutel/[A-Za-z0-9]+", options: .regularExpression)!
        return String(mail.body[range])
    }

    @Test func aResidentProposesTheCouncilGrantsInAPublicMeetingAndTheInitiatorsAccount() async throws {
        try await withApp(now: Self.now) { app in
            let admin = try await Fixture.adminBrowser(app, municipality: "GM0828")
            let budget = try await Self.budget(app, admin: admin, area: "berghem", name: "Wijkbudget Berghem", decider: "council", amount: "5.000")
            #expect(budget.availableCents == 500_000 && budget.allocatedCents == 500_000)

            // Bad input: every problem at once, what was typed kept, nothing stored.
            let resident = TestBrowser(app)
            let form = "/gemeenten/oss/initiatieven/nieuw"
            let bad = try await resident.submit(form, to: form, Self.proposal(amount: "abc"))
            #expect(bad.status == .unprocessableEntity && bad.text.contains("Speeltuin opknappen") && bad.text.contains("Schrijf het bedrag als getal"))
            let notAddingUp = try await resident.submit(form, to: form, Self.proposal(amount: "2000"))
            #expect(notAddingUp.status == .unprocessableEntity && notAddingUp.text.contains("tellen op tot € 1.500,00, maar u vraagt € 2.000,00"))
            let negative = try await resident.submit(form, to: form, Self.proposal(amount: "-5"))
            #expect(negative.status == .unprocessableEntity && negative.text.contains("kan niet negatief"))
            #expect(try await Initiative.query(on: app.db).filter(\.$demo == false).count() == 0)

            try await Fixture.user(app, email: "wijk@berghem.test", role: .areaCoordinator, areas: ["berghem"])
            let created = try await resident.submit(form, to: form, Self.proposal())
            #expect(created.status == .created)
            let initiative = try await Initiative.query(on: app.db).filter(\.$demo == false).first()!
            #expect(initiative.status == .submitted && initiative.askedCents == 150_000)
            let page = "/gemeenten/oss/initiatieven/\(initiative.code)"
            // The public page: the proposal, never the contact details (also not typed into the description).
            let anonymous = try await TestBrowser(app).get(page)
            #expect(anonymous.status == .ok && anonymous.text.contains("Speeltuin opknappen"))
            #expect(!anonymous.text.contains("anna@voorbeeld.nl") && !anonymous.text.contains("Anna de Vries") && !anonymous.text.contains("12345678"))

            // The coordinator reviews and asks a question; the initiators answer through their own link.
            let coordinator = TestBrowser(app)
            _ = try await coordinator.login("wijk@berghem.test", Fixture.password)
            let work = "/werk/initiatieven/\(initiative.id!.uuidString)"
            #expect(try await coordinator.get("/werk").text.contains("Initiatieven om te bekijken"))
            let staffPage = try await coordinator.get(work)
            #expect(staffPage.status == .ok && staffPage.text.contains("anna@voorbeeld.nl"), "the handling coordinator sees the contact details")
            #expect(try await coordinator.submit(work, to: work + "/stap", [("stap", "review")]).status == .seeOther)
            #expect(try await coordinator.submit(work, to: work + "/stap", [("stap", "ask"), ("tekst", "")]).status == .unprocessableEntity)
            #expect(try await coordinator.submit(work, to: work + "/stap", [("stap", "ask"), ("tekst", "Heeft u toestemming van de school?")]).status == .seeOther)
            let stranger = TestBrowser(app)
            #expect(try await stranger.submit(page, to: page + "/stap", [("stap", "answer"), ("tekst", "Ja")]).status == .forbidden, "only with the initiators' key")
            let initiators = TestBrowser(app)
            #expect(try await initiators.get(try await Self.ownLink(app, to: "anna@voorbeeld.nl")).status == .seeOther)
            let ownPage = try await initiators.get(page)
            #expect(ownPage.text.contains("Heeft u toestemming van de school?"))
            #expect(try await initiators.submit(page, to: page + "/stap", [("stap", "answer"), ("tekst", "Ja, de school doet mee.")]).status == .seeOther)
            #expect(try await coordinator.submit(work, to: work + "/stap", [("stap", "sendToDecision")]).status == .seeOther)

            // The council decides in one of its public meetings that has been held; without one the grant is refused.
            let noMeeting = try await coordinator.submit(work, to: work + "/besluit", [("besluit", "toekennen"), ("budget", budget.id!.uuidString), ("bedrag", "1200"), ("motivering", "Goed plan")])
            #expect(noMeeting.status == .unprocessableEntity && noMeeting.text.contains("Kies de vergadering"))
            let council = try await Council.query(on: app.db).filter(\.$area.$id == Fixture.area(app, "berghem").requireID()).first()!
            let meetings = try await CouncilMeeting.query(on: app.db).filter(\.$council.$id == council.requireID()).all()
            let held = meetings.filter { $0.isPublic && $0.startsAt < Self.now }.max { $0.startsAt < $1.startsAt }!
            let ahead = CouncilMeeting()
            ahead.$council.id = try council.requireID()
            ahead.startsAt = Self.now.addingTimeInterval(7 * 86_400)
            ahead.endsAt = ahead.startsAt.addingTimeInterval(7200)
            ahead.place = "Wijkcentrum"
            ahead.isPublic = true
            ahead.status = .planned
            try await ahead.create(on: app.db)
            let future = try await coordinator.submit(work, to: work + "/besluit", [("besluit", "toekennen"), ("budget", budget.id!.uuidString), ("bedrag", "1200"),
                                                                                     ("vergadering", ahead.id!.uuidString), ("motivering", "Goed plan")])
            #expect(future.status == .unprocessableEntity && future.text.contains("nog niet begonnen"))
            let tooMuch = try await coordinator.submit(work, to: work + "/besluit", [("besluit", "toekennen"), ("budget", budget.id!.uuidString), ("bedrag", "1600"),
                                                                                      ("vergadering", held.id!.uuidString), ("motivering", "Goed plan")])
            #expect(tooMuch.status == .unprocessableEntity && tooMuch.text.contains("niet meer toekennen dan is gevraagd"))
            let granted = try await coordinator.submit(work, to: work + "/besluit", [("besluit", "toekennen"), ("budget", budget.id!.uuidString), ("bedrag", "1200"),
                                                                                      ("vergadering", held.id!.uuidString), ("motivering", "Past bij de agenda van Berghem")])
            #expect(granted.status == .seeOther)
            let decision = try await CouncilDecision.query(on: app.db).filter(\.$meeting.$id == held.requireID()).filter(\.$kind == .subsidy).all()
                .first { $0.text.contains(initiative.code) }
            #expect(decision != nil, "the grant is one of the meeting's numbered decisions")
            let meetingPage = try await TestBrowser(app).get("/gemeenten/oss/vergaderingen/\(held.id!.uuidString)")
            #expect(meetingPage.text.contains(decision?.number ?? "–"), "published with the meeting")
            let publicAfter = try await TestBrowser(app).get(page).text
            #expect(publicAfter.contains("€ 1.200,00") && publicAfter.contains("Past bij de agenda van Berghem") && publicAfter.contains(decision?.number ?? "–"))
            var fresh = try await AreaBudget.find(budget.id, on: app.db)!
            #expect(fresh.availableCents == 380_000 && fresh.committedCents == 120_000)

            // Accounting before the money is paid is refused; then paid, accounted with less spent, the rest returns.
            let accounting = page + "/verantwoording"
            #expect(try await initiators.get(accounting).status == .conflict)
            #expect(try await coordinator.submit(work, to: work + "/stap", [("stap", "startExecution")]).status == .seeOther)
            let badAccount = try await initiators.submit(accounting, [("kosten-1", "veel"), ("kosten-2", "300"), ("resultaat", "")])
            #expect(badAccount.status == .unprocessableEntity && badAccount.text.contains("300"))
            #expect(try await initiators.submit(accounting, [("kosten-1", "700"), ("kosten-2", "300"), ("resultaat", "De speeltuin is weer mooi.")]).status == .seeOther)
            fresh = try await AreaBudget.find(budget.id, on: app.db)!
            #expect(fresh.paidCents == 100_000 && fresh.returnedCents == 20_000 && fresh.availableCents == 400_000 && fresh.committedCents == 0)
            #expect(try await BudgetLedger.sum(budget.requireID(), on: app.db) == fresh.balance, "the ledger sums to the balance")
            let closedPage = try await TestBrowser(app).get(page).text
            #expect(closedPage.contains("De speeltuin is weer mooi.") && closedPage.contains("€ 700,00"))

            // The coordinator closes it and marks it as a good example.
            #expect(try await coordinator.submit(work, to: work + "/stap", [("stap", "close")]).status == .seeOther)
            #expect(try await coordinator.submit(work, to: work + "/voorbeeld", []).status == .seeOther)
            let examples = try await TestBrowser(app).get("/gemeenten/oss/initiatieven/mooie-voorbeelden").text
            #expect(examples.contains("Speeltuin opknappen"), "\(examples)")
            // Mail: the own link, the coordinator's notice, and news of each staff step; no personal data in the audit log.
            #expect(try await OutgoingMail.query(on: app.db).filter(\.$recipient == "wijk@berghem.test").count() == 1)
            #expect(try await OutgoingMail.query(on: app.db).filter(\.$recipient == "anna@voorbeeld.nl").count() >= 6)
            for entry in try await AuditEntry.query(on: app.db).all() {
                #expect(!(entry.summary + (entry.before ?? "") + (entry.after ?? "")).contains("anna@voorbeeld.nl"))
                #expect(!(entry.summary + (entry.before ?? "") + (entry.after ?? "")).contains("12345678"))
            }
        }
    }

    @Test func theCoordinatorDecidesUnderMandateUpToTheLimitAndADraftStaysPrivate() async throws {
        try await withApp(now: Self.now) { app in
            let admin = try await Fixture.adminBrowser(app, municipality: "GM0828")
            let budget = try await Self.budget(app, admin: admin, area: "lith", name: "Handgeld Lith", decider: "coordinator", amount: "2500", mandate: "500")
            #expect(budget.mandateLimitCents == 50_000)
            let resident = TestBrowser(app)
            let form = "/gemeenten/oss/initiatieven/nieuw"
            var draftForm = Self.proposal(title: "Buurtfeest Lith", amount: "600", lines: [], area: "lith", email: "piet@voorbeeld.nl")
            draftForm = draftForm.map { $0.0 == "actie" ? ("actie", "concept") : $0 }
            #expect(try await resident.submit(form, to: form, draftForm).status == .created)
            let initiative = try await Initiative.query(on: app.db).filter(\.$title == "Buurtfeest Lith").first()!
            #expect(initiative.status == .draft)
            let page = "/gemeenten/oss/initiatieven/\(initiative.code)"
            #expect(try await TestBrowser(app).get(page).status == .notFound, "a draft is the initiators' own")
            #expect(!(try await TestBrowser(app).get("/gemeenten/oss/initiatieven").text.contains("Buurtfeest Lith")))
            #expect(try await resident.get(page).status == .ok, "the initiators' browser holds the key after proposing")
            #expect(try await resident.submit(page, to: page + "/stap", [("stap", "submit")]).status == .seeOther)

            try await Fixture.user(app, email: "wijk@lith.test", role: .areaCoordinator, areas: ["lith"])
            let coordinator = TestBrowser(app)
            _ = try await coordinator.login("wijk@lith.test", Fixture.password)
            let work = "/werk/initiatieven/\(initiative.id!.uuidString)"
            #expect(try await coordinator.submit(work, to: work + "/stap", [("stap", "review")]).status == .seeOther)
            // A stale form (the version the coordinator saw before) is refused, not applied twice.
            let stale = try await coordinator.post(work + "/stap", form: [("csrf", TestBrowser.csrf(in: try await coordinator.get(work).text)), ("stap", "sendToDecision"), ("versie", "1")])
            #expect(stale.status == .conflict)
            #expect(try await coordinator.submit(work, to: work + "/stap", [("stap", "sendToDecision")]).status == .seeOther)
            let above = try await coordinator.submit(work, to: work + "/besluit", [("besluit", "toekennen"), ("budget", budget.id!.uuidString), ("bedrag", "600"), ("motivering", "Leuk")])
            #expect(above.status == .unprocessableEntity && above.text.contains("meer dan uw mandaat van € 500,00"))
            #expect(above.text.contains("value=\"600\""), "the amount typed is kept")
            #expect(try await coordinator.submit(work, to: work + "/besluit", [("besluit", "toekennen"), ("budget", budget.id!.uuidString), ("bedrag", "500"), ("motivering", "Leuk, voor een deel")]).status == .seeOther)
            let fresh = try await Initiative.find(initiative.id, on: app.db)!
            #expect(fresh.status == .granted && fresh.grantedCents == 50_000 && fresh.councilDecisionID == nil)
            // Withdrawing after the grant gives the money back to the budget.
            #expect(try await resident.submit(page, to: page + "/stap", [("stap", "withdraw")]).status == .seeOther)
            let after = try await AreaBudget.find(budget.id, on: app.db)!
            #expect(after.availableCents == 250_000 && after.committedCents == 0)
            #expect(try await BudgetLedger.sum(budget.requireID(), on: app.db) == after.balance)
        }
    }

    /// 100 grants at once against one budget that holds ten of them: exactly ten succeed, the budget never goes
    /// below zero, and the ledger sums to the balance (SQLite and PostgreSQL alike).
    @Test func concurrentGrantsNeverOverspendABudget() async throws {
        try await withApp(now: Self.now) { app in
            let m = try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first()!
            let area = try await Fixture.area(app, "herpen")
            let req = Request(application: app, on: app.eventLoopGroup.any())
            let budget = try await BudgetService.create(BudgetSetup(areaID: area.requireID(), year: 2026, kind: .discretionary, name: "Handgeld Herpen", decider: .coordinator,
                                                                    mandateLimitCents: 10_000, departmentID: nil, initialCents: 100_000),
                                                        municipality: m.requireID(), reference: "Begroting 2026", user: nil, req: req)
            var initiatives: [Initiative] = []
            for i in 0..<100 {
                var p = try InitiativeForm.read(Dictionary(uniqueKeysWithValues: Self.proposal(title: "Idee \(i)", amount: "100", lines: [], area: "herpen"))).get()
                p.areaSlug = "herpen"
                let (initiative, _) = try await InitiativeService.propose(p, municipalityID: m.requireID(), areaID: area.requireID(), submit: true, req: req)
                try await InitiativeService.step(initiative, .review, text: nil, expectedVersion: initiative.version, user: nil, req: req)
                try await InitiativeService.step(initiative, .sendToDecision, text: nil, expectedVersion: initiative.version, user: nil, req: req)
                initiatives.append(initiative)
            }
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for initiative in initiatives {
                    group.addTask {
                        let r = Request(application: app, on: app.eventLoopGroup.any())
                        do {
                            try await InitiativeService.decide(initiative, grantCents: 10_000, budget: budget, meeting: nil, motivation: "Goed", expectedVersion: initiative.version, user: nil, req: r)
                            return "granted"
                        } catch let failure as ValidationFailure {
                            return failure.errors.first?.key ?? "?"
                        }
                    }
                }
                var all: [String] = []
                for try await outcome in group { all.append(outcome) }
                return all
            }
            #expect(outcomes.filter { $0 == "granted" }.count == 10)
            #expect(outcomes.filter { $0 == "budget.problem.insufficientAvailable" }.count == 90)
            let after = try await AreaBudget.find(budget.id, on: app.db)!
            #expect(after.availableCents == 0 && after.committedCents == 100_000)
            #expect(try await BudgetLedger.sum(budget.requireID(), on: app.db) == after.balance)
            #expect(try await Initiative.query(on: app.db).filter(\.$area.$id == area.requireID()).filter(\.$status == .granted).count() == 10,
                    "a refused grant leaves the initiative waiting for a decision")
        }
    }

    @Test func whoSeesWhat() async throws {
        try await withApp(now: Self.now) { app in
            let demo = try await Initiative.query(on: app.db).filter(\.$demo == true).first()!
            let work = "/werk/initiatieven/\(demo.id!.uuidString)"
            let area = try await Area.find(demo.$area.id, on: app.db)!
            let other = area.slug == "lith" ? "geffen" : "lith"
            for (email, role, areas, status) in [("eigen@oss.test", Role.areaCoordinator, [area.slug], HTTPStatus.ok),
                                                 ("ander@oss.test", .areaCoordinator, [other], .forbidden),
                                                 ("raad@oss.test", .councilMember, [area.slug], .ok),
                                                 ("partner@oss.test", .partner, [area.slug], .forbidden),
                                                 ("gemeenteraad@oss.test", .municipalCouncil, [], .forbidden)] {
                try await Fixture.user(app, email: email, role: role, areas: areas)
                let browser = TestBrowser(app)
                _ = try await browser.login(email, Fixture.password)
                #expect(try await browser.get(work).status == status, "\(role) \(areas)")
            }
            // A council member of the area reads, but takes no steps.
            let member = TestBrowser(app)
            _ = try await member.login("raad@oss.test", Fixture.password)
            #expect(try await member.submit(work, to: work + "/stap", [("stap", "close")]).status == .forbidden)
            // Another area's coordinator cannot act on it either, whatever the form says.
            let outsider = TestBrowser(app)
            _ = try await outsider.login("ander@oss.test", Fixture.password)
            #expect(try await outsider.post(work + "/stap", form: [("csrf", TestBrowser.csrf(in: try await outsider.get("/werk/initiatieven").text)), ("stap", "close")]).status == .forbidden)
            #expect(try await TestBrowser(app).get(work).status == .seeOther, "staff pages need a login")
            #expect(try await TestBrowser(app).get("/gemeenten/oss/initiatieven/INI-2026-9999").status == .notFound)
            #expect(try await TestBrowser(app).get("/gemeenten/oss/initiatieven/onzin").status == .notFound)
        }
    }

    @Test func theMoneyPageAndItsCSV() async throws {
        try await withApp(now: Self.now) { app in
            let admin = try await Fixture.adminBrowser(app, municipality: "GM0828")
            _ = try await Self.budget(app, admin: admin, area: "geffen", name: "=HYPERLINK(\"http://x\")", decider: "council", amount: "1.000")
            let page = try await TestBrowser(app).get("/gemeenten/oss/geld?jaar=2026")
            #expect(page.status == .ok && page.text.contains("Geffen") && page.text.contains("€ 1.000,00"))
            #expect(page.text.contains("type=\"text/csv\""))
            let csv = try await TestBrowser(app).get("/gemeenten/oss/geld.csv?jaar=2026")
            #expect(csv.headers.contentType?.subType == "csv")
            let lines = csv.text.components(separatedBy: "\r\n")
            #expect(lines[0] == "Jaar,Gebied,Budget,Soort,Wie beslist,Budget,\"Toegekend, nog niet betaald\",Betaald,Teruggekomen,Nog beschikbaar")
            #expect(lines.contains { $0.hasPrefix("2026,Geffen,\"'=HYPERLINK") && $0.hasSuffix(",1000.00,0.00,0.00,0.00,1000.00") }, "formulas are neutralised")
            #expect(!csv.text.contains("demo-initiatief@example.org"))
            // Bad input on the budget forms: 4xx with the reason, nothing half-saved.
            let before = try await AreaBudget.query(on: app.db).count()
            let bad = try await admin.submit("/werk/budgetten", [("gebied", "geffen"), ("jaar", "22026"), ("soort", "initiatives"), ("naam", "X"), ("beslisser", "coordinator"), ("bedrag", "-3")])
            #expect(bad.status == .unprocessableEntity && bad.text.contains("Vul een jaar in") && bad.text.contains("Vul het mandaat") && bad.text.contains("kan niet negatief"))
            #expect(try await AreaBudget.query(on: app.db).count() == before)
            let budget = try await AreaBudget.query(on: app.db).filter(\.$area.$id == Fixture.area(app, "geffen").requireID()).first()!
            let path = "/werk/budgetten/\(budget.id!.uuidString)"
            let overReduce = try await admin.submit(path, [("soort", "reduced"), ("bedrag", "1000,01"), ("omschrijving", "Bezuiniging")])
            #expect(overReduce.status == .unprocessableEntity && overReduce.text.contains("niet genoeg geld"))
            #expect(try await admin.submit(path, [("soort", "allocated"), ("bedrag", "250"), ("omschrijving", "Extra van het college")]).status == .seeOther)
            #expect(try await AreaBudget.find(budget.id, on: app.db)!.availableCents == 125_000)
        }
    }

    @Test func dividingAPotOverTheAreasWithAFormulaShownBeforeItIsSet() async throws {
        try await withApp(now: Self.now) { app in
            let admin = try await Fixture.adminBrowser(app, municipality: "GM0828")
            let query = "?jaar=2027&bedrag=110.000&naam=Wijkbudget&beslisser=council&methode=formula&gewicht-equal=1&gewicht-inhabitants=1"
            let preview = try await admin.get("/werk/budgetten/verdeling" + query)
            #expect(preview.status == .ok && preview.text.contains("Wat elk gebied krijgt") && preview.text.contains("Budgetten vastleggen"))
            #expect(preview.text.contains("Gelijk deel 50%"), "each term's part is stated")
            #expect(try await AreaBudget.query(on: app.db).filter(\.$year == 2027).count() == 0, "the what-if stores nothing")
            let wrong = try await admin.get("/werk/budgetten/verdeling?jaar=2027&bedrag=1000&naam=W&beslisser=council&methode=formula&gewicht-equal=-1")
            #expect(wrong.text.contains("Schrijf het gewicht als getal") && !wrong.text.contains("Wat elk gebied krijgt"))
            let form = query.dropFirst().split(separator: "&").map { pair -> (String, String) in
                let kv = pair.split(separator: "=", maxSplits: 1); return (String(kv[0]), String(kv[1]))
            }
            #expect(try await admin.submit("/werk/budgetten/verdeling" + query, to: "/werk/budgetten/verdeling", form).status == .seeOther)
            let budgets = try await AreaBudget.query(on: app.db).filter(\.$year == 2027).all()
            let areas = try await Area.query(on: app.db).filter(\.$municipality.$id == budgets[0].$municipality.id).count()
            #expect(budgets.count == areas && budgets.reduce(0) { $0 + $1.allocatedCents } == 11_000_000, "the pot to the cent over every area")
            let snapshot = try await app.areaDirectory.snapshot(for: Municipality.find(budgets[0].$municipality.id, on: app.db)!, on: app.db)
            let biggest = snapshot.areas.max { ($0.figures.figures.inhabitants ?? 0) < ($1.figures.figures.inhabitants ?? 0) }!
            let smallest = snapshot.areas.min { ($0.figures.figures.inhabitants ?? 0) < ($1.figures.figures.inhabitants ?? 0) }!
            #expect(budgets.first { $0.$area.id == biggest.id }!.allocatedCents > budgets.first { $0.$area.id == smallest.id }!.allocatedCents)
            for budget in budgets { #expect(try await BudgetLedger.sum(budget.requireID(), on: app.db) == budget.balance) }
            // Setting it again adds to the same budgets instead of failing on their names.
            #expect(try await admin.submit("/werk/budgetten/verdeling" + query, to: "/werk/budgetten/verdeling", form).status == .seeOther)
            #expect(try await AreaBudget.query(on: app.db).filter(\.$year == 2027).count() == areas)
            #expect(try await AreaBudget.query(on: app.db).filter(\.$year == 2027).all().reduce(0) { $0 + $1.allocatedCents } == 22_000_000)
            // A coordinator may not divide money.
            try await Fixture.user(app, email: "c@oss.test", role: .areaCoordinator, areas: ["lith"])
            let coordinator = TestBrowser(app)
            _ = try await coordinator.login("c@oss.test", Fixture.password)
            #expect(try await coordinator.get("/werk/budgetten/verdeling").status == .forbidden)
        }
    }

    @Test func thePublicAPI() async throws {
        try await withApp(now: Self.now) { app in
            let browser = TestBrowser(app)
            let page = try await browser.get("/api/v1/initiatives?municipality=GM0828&limit=3")
            #expect(page.status == .ok)
            let json = try JSONSerialization.jsonObject(with: Data(page.body.readableBytesView)) as! [String: Any]
            #expect(json["total"] as? Int == 7 && (json["items"] as! [Any]).count == 3)
            #expect(!page.text.contains("demo-initiatief@example.org") && !page.text.contains("Demo-bewoner"))
            let granted = try await browser.get("/api/v1/initiatives?municipality=GM0828&status=granted").text
            #expect(granted.contains("Jeu-de-boulesbaan") && granted.contains("\"grantedCents\":250000"))
            for bad in ["?municipality=oss", "?municipality=GM0828&status=draft", "?municipality=GM0828&theme=x", "?municipality=GM0828&limit=0",
                        "?municipality=GM0828&limit=abc", "?municipality=GM0828&area=nope"] {
                #expect(try await browser.get("/api/v1/initiatives" + bad).status == .badRequest, "\(bad)")
            }
            #expect(try await browser.get("/api/v1/initiatives?municipality=GM9999").status == .notFound)
            let budgets = try await browser.get("/api/v1/budgets?municipality=GM0828&year=2026")
            let list = try JSONSerialization.jsonObject(with: Data(budgets.body.readableBytesView)) as! [[String: Any]]
            #expect(list.count == 8 && list.allSatisfy { ($0["availableCents"] as! Int) >= 0 })
            #expect(try await browser.get("/api/v1/budgets?municipality=GM0828&year=20260").status == .badRequest)
            let money = try JSONSerialization.jsonObject(with: Data(try await browser.get("/api/v1/money?municipality=GM0828&year=2026").body.readableBytesView)) as! [[String: Any]]
            #expect(money.count == 11 && money.reduce(0) { $0 + ($1["allocatedCents"] as! Int) } == 4 * 1_750_000)
        }
    }

    /// A right to challenge: residents take over a task; only the department that owns it decides, from its own budget.
    @Test func aRightToChallengeIsDecidedByTheDepartmentThatOwnsTheTask() async throws {
        try await withApp(now: Self.now) { app in
            let admin = try await Fixture.adminBrowser(app, municipality: "GM0828")
            let department = try await Department.query(on: app.db).filter(\.$name == "Openbare ruimte").filter(\.$municipality.$id == Fixture.area(app, "ravenstein").$municipality.id).first()!
            let other = try await Department.query(on: app.db).filter(\.$name != "Openbare ruimte").filter(\.$municipality.$id == department.$municipality.id).first()!
            let response = try await admin.submit("/werk/budgetten", [("gebied", "ravenstein"), ("jaar", "2026"), ("soort", "other"), ("naam", "Groenonderhoud Ravenstein"),
                                                                    ("beslisser", "department"), ("afdeling", department.id!.uuidString), ("bedrag", "3000")])
            #expect(response.status == .seeOther)
            _ = try await Self.budget(app, admin: admin, area: "ravenstein", name: "Handgeld Ravenstein", decider: "coordinator", amount: "1000", mandate: "5000")
            let resident = TestBrowser(app)
            let form = "/gemeenten/oss/initiatieven/nieuw"
            var fields = Self.proposal(title: "Wij onderhouden het park", amount: "2000", lines: [], area: "ravenstein", email: "park@voorbeeld.nl") + [("soort", "overnemen")]
            let missing = try await resident.submit(form, to: form, fields)
            #expect(missing.status == .unprocessableEntity && missing.text.contains("Kies de afdeling die de taak nu doet"))
            fields += [("taak", "Het maaien en snoeien in het Walpark"), ("afdeling", department.id!.uuidString)]
            #expect(try await resident.submit(form, to: form, fields).status == .created)
            let initiative = try await Initiative.query(on: app.db).filter(\.$title == "Wij onderhouden het park").first()!
            #expect(initiative.kind == .rightToChallenge && initiative.taskDepartmentID == department.id)
            #expect(try await TestBrowser(app).get("/gemeenten/oss/initiatieven/\(initiative.code)").text.contains("Het maaien en snoeien in het Walpark"))
            // The coordinator reviews; the coordinator's own budget cannot pay for a task of a department.
            try await Fixture.user(app, email: "wijk@ravenstein.test", role: .areaCoordinator, areas: ["ravenstein"])
            let coordinator = TestBrowser(app)
            _ = try await coordinator.login("wijk@ravenstein.test", Fixture.password)
            let work = "/werk/initiatieven/\(initiative.id!.uuidString)"
            #expect(try await coordinator.submit(work, to: work + "/stap", [("stap", "review")]).status == .seeOther)
            #expect(try await coordinator.submit(work, to: work + "/stap", [("stap", "sendToDecision")]).status == .seeOther)
            #expect(try await coordinator.get(work).text.contains("geen budget van dit gebied waarover u mag beslissen"))
            let mandate = try await AreaBudget.query(on: app.db).filter(\.$name == "Handgeld Ravenstein").first()!
            let wrong = try await coordinator.post(work + "/besluit", form: [("csrf", TestBrowser.csrf(in: try await coordinator.get(work).text)), ("versie", String(initiative.version + 2)),
                                                                           ("besluit", "toekennen"), ("budget", mandate.id!.uuidString), ("bedrag", "2000"), ("motivering", "x")])
            #expect(wrong.status == .unprocessableEntity)
            // An officer of another department does not see it; the owning department does, and decides.
            try await Fixture.user(app, email: "ander@oss.test", role: .departmentOfficer, department: other.name)
            let outsider = TestBrowser(app)
            _ = try await outsider.login("ander@oss.test", Fixture.password)
            #expect(try await outsider.get(work).status == .forbidden)
            #expect(!(try await outsider.get("/werk/initiatieven").text.contains("Wij onderhouden het park")))
            try await Fixture.user(app, email: "groen@oss.test", role: .departmentOfficer, department: "Openbare ruimte")
            let officer = TestBrowser(app)
            _ = try await officer.login("groen@oss.test", Fixture.password)
            #expect(try await officer.get("/werk/initiatieven").text.contains("Wij onderhouden het park"))
            let taskBudget = try await AreaBudget.query(on: app.db).filter(\.$name == "Groenonderhoud Ravenstein").first()!
            #expect(try await officer.submit(work, to: work + "/besluit", [("besluit", "toekennen"), ("budget", taskBudget.id!.uuidString), ("bedrag", "2000"),
                                                                          ("motivering", "De bewoners nemen het onderhoud over; het geld van de taak gaat mee.")]).status == .seeOther)
            #expect(try await AreaBudget.find(taskBudget.id, on: app.db)!.committedCents == 200_000)
            // The department records its own other support; it cannot record another department's.
            #expect(try await officer.submit(work, to: work + "/steun", [("soortsteun", "knowledge"), ("door", department.id!.uuidString), ("wat", "Uitleg over snoeien")]).status == .seeOther)
            let foreign = try await officer.post(work + "/steun", form: [("csrf", TestBrowser.csrf(in: try await officer.get(work).text)), ("soortsteun", "people"), ("door", other.id!.uuidString), ("wat", "x")])
            #expect(foreign.status == .forbidden)
            #expect(try await coordinator.submit(work, to: work + "/steun", [("soortsteun", "place"), ("partner", "Woningcorporatie Area"), ("wat", "Een schuur voor het gereedschap")]).status == .seeOther)
            #expect(try await coordinator.submit(work, to: work + "/steun", [("soortsteun", "place"), ("wat", "Niemand")]).status == .unprocessableEntity)
            let publicPage = try await TestBrowser(app).get("/gemeenten/oss/initiatieven/\(initiative.code)").text
            #expect(publicPage.contains("Uitleg over snoeien") && publicPage.contains("Woningcorporatie Area"))
            let money = try await TestBrowser(app).get("/gemeenten/oss/geld?jaar=2026").text
            #expect(money.contains("Andere steun dan geld") && money.contains("Woningcorporatie Area"))
        }
    }

    /// Photos with the accounting: only images, without their metadata, public with the initiative.
    @Test func theAccountingTakesPhotos() async throws {
        try await withApp(now: Self.now) { app in
            let demo = try await Initiative.query(on: app.db).filter(\.$status == .inExecution).first()!
            let resident = TestBrowser(app)
            let m = try await Municipality.find(demo.$municipality.id, on: app.db)!
            // The demo's key is not known: give this initiative a key the test knows.
            demo.keyHash = sha256Hex("testsleutel")
            try await demo.update(on: app.db)
            let page = "/gemeenten/\(m.slug)/initiatieven/\(demo.code)"
            _ = try await resident.get(page + "/sleutel/testsleutel")
            let form = try await resident.get(page + "/verantwoording")
            #expect(form.status == .ok && form.text.contains("multipart/form-data"))
            let csrf = TestBrowser.csrf(in: form.text)
            let version = TestBrowser.hidden("versie", in: form.text) ?? ""
            // A text file posing as a photo is refused, and nothing is saved.
            let lines = try await InitiativeBudgetLine.query(on: app.db).filter(\.$initiative.$id == demo.requireID()).sort(\.$position).all()
            var fields = [("csrf", csrf), ("versie", version), ("resultaat", "Het feest was een succes.")]
            for line in lines { fields.append(("kosten-\(line.position)", Money.plain(line.cents))) }
            let (badHeaders, badBody) = Multipart.body(fields, file: .init(field: "foto1", filename: "x.png", contentType: "image/png", data: Data("geen foto".utf8)))
            let bad = try await app.testing().sendRequest(.POST, page + "/verantwoording", headers: badHeaders.merging(resident), body: badBody)
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("geen foto"))
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Self.pngChunks
            let (headers, body) = Multipart.body(fields, file: .init(field: "foto1", filename: "feest.png", contentType: "image/png", data: png))
            let ok = try await app.testing().sendRequest(.POST, page + "/verantwoording", headers: headers.merging(resident), body: body)
            #expect(ok.status == .seeOther)
            let shown = try await TestBrowser(app).get(page).text
            #expect(shown.contains(page + "/fotos/1"))
            let photo = try await TestBrowser(app).get(page + "/fotos/1")
            #expect(photo.status == .ok && photo.headers.contentType?.subType == "png" && !photo.body.string.contains("GPS"))
            #expect(try await TestBrowser(app).get(page + "/fotos/2").status == .notFound)
        }
    }

    /// A minimal PNG (1×1 pixel) with a text chunk that must not survive.
    static let pngChunks: Data = {
        func chunk(_ type: String, _ payload: [UInt8]) -> Data {
            var d = Data()
            var length = UInt32(payload.count).bigEndian
            d.append(Data(bytes: &length, count: 4))
            d.append(Data(type.utf8))
            d.append(contentsOf: payload)
            d.append(contentsOf: [0, 0, 0, 0]) // CRC is not checked by the stripper
            return d
        }
        return chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]) + chunk("tEXt", Array("GPS\u{0}51.7,5.5".utf8))
            + chunk("IDAT", [0x78, 0x9C, 0x63, 0x60, 0x60, 0x60, 0, 0, 0, 4, 0, 1]) + chunk("IEND", [])
    }()
}

extension HTTPHeaders {
    /// These headers with the browser's cookies.
    func merging(_ browser: TestBrowser) -> HTTPHeaders {
        var h = self
        h.replaceOrAdd(name: .cookie, value: browser.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        return h
    }
}

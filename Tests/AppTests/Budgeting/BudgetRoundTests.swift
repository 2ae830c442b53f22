import Foundation
import Testing
import VaporTesting
import Fluent
import SQLKit
@testable import App
@testable import Domain

@Suite("Buurtbegroting: a round from ideas to funded initiatives, codes used once, paper ballots, results anyone can recompute")
struct BudgetRoundTests {
    static let now = Date(timeIntervalSince1970: 1_795_435_200) // 23 November 2026
    static func day(_ offset: Int) -> String { Format.isoDay(now.addingTimeInterval(Double(offset) * 86_400)) }

    /// A demo area with an area budget of the council (€15,000), and a coordinator for it.
    static func setUp(_ app: Application) async throws -> (area: Area, budget: AreaBudget, coordinator: TestBrowser) {
        let budget = try #require(try await AreaBudget.query(on: app.db).filter(\.$name ~~ "Wijkbudget").sort(\.$name).first())
        let area = try #require(try await Area.find(budget.$area.id, on: app.db))
        try await Fixture.user(app, email: "wijk@buurtbegroting.test", role: .areaCoordinator, areas: [area.slug])
        let coordinator = TestBrowser(app)
        #expect(try await coordinator.login("wijk@buurtbegroting.test", Fixture.password).status == .seeOther)
        return (area, budget, coordinator)
    }

    static func roundForm(_ area: Area, _ budget: AreaBudget, amount: String = "5000", rule: String = "budget", deciding: String = "greedy") -> [(String, String)] {
        [("gebied", area.slug), ("titel", "Buurtbegroting \(area.name)"), ("tekst", "Bewoners kiezen wat er met het geld gebeurt."), ("budget", budget.id!.uuidString),
         ("bedrag", amount), ("ideeen_van", day(0)), ("ideeen_tot", day(10)), ("haalbaarheid_tot", day(20)), ("stemmen_van", day(21)), ("stemmen_tot", day(30)),
         ("stemregel", rule), ("minimum_procent", ""), ("minimum_projecten", "1"), ("maximum_projecten", "2"), ("beslisregel", deciding), ("minimumleeftijd", "16")]
    }

    static func codes(_ app: Application, round: BudgetRound) async throws -> [String] {
        try await BudgetRoundCode.query(on: app.db).filter(\.$round.$id == round.requireID()).sort(\.$position).all().compactMap(\.plain)
    }

    @Test func aRoundFromIdeasToFundedInitiatives() async throws {
        try await withApp(now: Self.now) { app in
            let (area, budget, coordinator) = try await Self.setUp(app)
            let new = "/gemeenten/oss/buurtbegroting/nieuw"
            // Bad input: every problem at once, the form kept.
            var bad = Self.roundForm(area, budget, amount: "20000")
            bad[bad.firstIndex { $0.0 == "stemmen_van" }!] = ("stemmen_van", Self.day(15))
            let refused = try await coordinator.submit(new, bad)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("Zo veel geld is er niet") && refused.text.contains("Het stemmen begint pas na het beoordelen") && refused.text.contains("Bewoners kiezen wat er"))
            #expect(try await coordinator.submit(new, Self.roundForm(area, budget, amount: "5000,50")).text.contains("hele euro"))
            #expect(try await TestBrowser(app).get(new).status != .ok, "residents cannot set up a round")
            #expect(try await coordinator.submit(new, Self.roundForm(area, budget)).status == .seeOther)
            let round = try #require(try await BudgetRound.query(on: app.db).filter(\.$demo == false).first())
            let page = "/gemeenten/oss/buurtbegroting/\(round.number)"
            #expect(try await TestBrowser(app).get(page).text.contains("Stuur een idee in"))
            // The round belongs to Oss: the same number under another municipality is not found.
            #expect(try await TestBrowser(app).get("/gemeenten/oosterhout/buurtbegroting/\(round.number)").status == .notFound)
            #expect(try await coordinator.get("/gemeenten/oosterhout/buurtbegroting/\(round.number)/beheer").status == .notFound)

            // Ideas: posted as ideas of the area and taken into the round; another area's idea is refused.
            let resident = TestBrowser(app)
            let ideaForm = page + "/idee"
            let ideas = [("Bankjes bij de vijver", "Drie bankjes aan de vijver"), ("Speeltoestel", "Een klimrek voor kleine kinderen"), ("Nieuwe weg", "Een nieuwe rondweg")]
            for (title, text) in ideas {
                #expect(try await resident.submit(ideaForm, [("gebied", area.slug), ("titel", title), ("tekst", text), ("thema", "play"), ("naam", "Bo"), ("email", "bo@voorbeeld.nl")]).status == .seeOther)
            }
            let other = try #require(try await Area.query(on: app.db).filter(\.$municipality.$id == area.$municipality.id).filter(\.$id != area.requireID()).first())
            let elsewhere = try await resident.submit(ideaForm, [("gebied", other.slug), ("titel", "Elders"), ("tekst", "Iets"), ("thema", "play"), ("naam", "Bo"), ("email", "bo@voorbeeld.nl")])
            #expect(elsewhere.status == .unprocessableEntity && elsewhere.text.contains("ander gebied"))
            let projects = try await BudgetRoundProject.query(on: app.db).filter(\.$round.$id == round.requireID()).sort(\.$number).all()
            #expect(projects.map(\.title) == ideas.map(\.0))
            let idea = try #require(try await Idea.find(projects[0].ideaID, on: app.db))
            #expect(idea.$area.id == area.id)
            // Linked both ways: the idea names its round, the area and municipality pages name the round, "Mijn werk" the projects to assess.
            #expect(try await TestBrowser(app).get("/gemeenten/oss/ideeen/\(idea.code)").text.contains("doet mee aan de buurtbegroting"))
            #expect(try await TestBrowser(app).get("/gemeenten/oss/gebieden/\(area.slug)").text.contains(round.title))
            #expect(try await TestBrowser(app).get("/gemeenten/oss").text.contains(round.title))
            #expect(try await coordinator.get("/werk").text.contains("Plannen van een buurtbegroting om te beoordelen"))
            let english = TestBrowser(app)
            english.language = "en"
            #expect(try await english.get(page).text.contains("Send an idea"))

            // Feasibility: a reason is required; not feasible needs no cost.
            let assess = page + "/beheer/projecten/"
            let noReason = try await coordinator.submit(assess + "1", [("haalbaar", "ja"), ("kosten", "3000"), ("reden", "")])
            #expect(noReason.status == .unprocessableEntity && noReason.text.contains("3000"))
            #expect(try await coordinator.submit(assess + "1", [("haalbaar", "ja"), ("kosten", "3000"), ("reden", "Kan in het voorjaar.")]).status == .seeOther)
            #expect(try await coordinator.submit(assess + "2", [("haalbaar", "ja"), ("kosten", "2500"), ("reden", "Past op het grasveld.")]).status == .seeOther)
            #expect(try await coordinator.submit(assess + "3", [("haalbaar", "nee"), ("kosten", ""), ("reden", "Een weg is geen buurtplan.")]).status == .seeOther)
            #expect(try await TestBrowser(app).get(page).text.contains("Een weg is geen buurtplan."))

            // Voting codes: a batch, with letters and a file for the mailing house.
            let manage = page + "/beheer"
            #expect(try await coordinator.submit(manage, to: manage + "/codes", [("aantal", "0")]).status == .unprocessableEntity)
            #expect(try await coordinator.submit(manage, to: manage + "/codes", [("aantal", "20")]).status == .seeOther)
            let codes = try await Self.codes(app, round: round)
            #expect(codes.count == 20 && Set(codes).count == 20)
            #expect(try await coordinator.get(manage + "/codes/1/codes.csv").text.contains(codes[7]))
            #expect(try await coordinator.get(manage + "/codes/1").text.contains(codes[19]))
            #expect(try await TestBrowser(app).get(manage + "/codes/1/codes.csv").status != .ok)

            // Voting is not open yet.
            #expect(try await resident.get(page + "/stemmen").status == .conflict)
            app.clock = .fixed(Self.now.addingTimeInterval(22 * 86_400))
            _ = try await coordinator.login("wijk@buurtbegroting.test", Fixture.password)
            let vote = page + "/stemmen"
            // Over budget: refused with the reason and the choice kept; "what is left" stores nothing.
            let over = try await resident.submit(vote, [("code", codes[0]), ("projecten[]", "1"), ("projecten[]", "2"), ("verklaring", "ja"), ("actie", "stem")])
            #expect(over.status == .unprocessableEntity && over.text.contains("meer dan er te verdelen is") && over.text.contains(codes[0]))
            let left = try await resident.submit(vote, [("code", codes[0]), ("projecten[]", "1"), ("actie", "bekijk")])
            #expect(left.status == .ok && left.text.contains("nog € 2.000,- over"))
            #expect(try await resident.submit(vote, [("code", codes[0]), ("projecten[]", "3"), ("verklaring", "ja")]).status == .unprocessableEntity, "not on the ballot")
            #expect(try await resident.submit(vote, [("code", "ABCD-EFGH-JKMN"), ("projecten[]", "1"), ("verklaring", "ja")]).text.contains("kennen wij niet"))
            #expect(try await resident.submit(vote, [("code", codes[0]), ("projecten[]", "1")]).text.contains("Bevestig"))
            #expect(try await BudgetRoundBallot.query(on: app.db).filter(\.$round.$id == round.requireID()).count() == 0, "nothing half-saved")
            #expect(try await resident.submit(vote, [("code", codes[0].lowercased()), ("projecten[]", "1"), ("verklaring", "ja")]).status == .seeOther)
            let again = try await resident.submit(vote, [("code", codes[0]), ("projecten[]", "2"), ("verklaring", "ja")])
            #expect(again.status == .conflict && again.text.contains("al gestemd"))
            for code in codes[1...3] { #expect(try await TestBrowser(app).submit(vote, [("code", code), ("projecten[]", "2"), ("verklaring", "ja")]).status == .seeOther) }
            // A paper ballot with the same checks.
            #expect(try await coordinator.submit(manage, to: manage + "/papier", [("code", codes[0]), ("projecten[]", "1")]).status == .conflict)
            #expect(try await coordinator.submit(manage, to: manage + "/papier", [("code", codes[4]), ("projecten[]", "1")]).status == .seeOther)
            // The rule is fixed once votes are in.
            var changed = Self.roundForm(area, budget, rule: "count")
            changed.removeFirst()
            #expect(try await coordinator.submit(manage, to: manage + "/instellingen", changed).status == .conflict)
            #expect(try await BudgetRound.find(round.id, on: app.db)!.ruleKind == "budget")
            // Ballots hold no time and nothing that leads to the code.
            let columns = try await (app.db as! any SQLDatabase).raw("SELECT * FROM budget_round_ballots WHERE round_id = \(bind: round.requireID())").all()
            #expect(columns.allSatisfy { Set($0.allColumns) == ["id", "round_id", "receipt_hash", "channel"] })

            // The result: 2 votes for project 1 (€3,000), 3 for project 2 (€2,500): greedy takes 2, then 1 no longer fits.
            app.clock = .fixed(Self.now.addingTimeInterval(31 * 86_400))
            _ = try await coordinator.login("wijk@buurtbegroting.test", Fixture.password)
            let result = try await TestBrowser(app).get(page)
            #expect(result.text.contains("5 stemmen geteld: 4 online en 1 op papier"))
            #expect(result.text.contains("Paste niet meer: er was nog € 2.500,- over en het kost € 3.000,-"))
            // Anyone can recompute it from the export.
            let export = try await TestBrowser(app).get(page + "/stemmen.pb")
            let election = try PabulibFile.parse(export.text).election()
            #expect(election.ballots.count == 5 && election.budget == 5000)
            #expect(Allocator.allocate(election, rule: .greedy).selected == ["2"])
            #expect(!export.text.contains("voorbeeld.nl") && !export.text.contains(codes[0]))
            // A voter sees which of their projects won.
            let mine = try await TestBrowser(app).submit(page, to: page + "/controle", [("code", codes[1])])
            #expect(mine.text.contains("Speeltoestel: <strong>gewonnen"))

            // Closing: the winner becomes a granted initiative whose money is committed in the area budget.
            let before = try await AreaBudget.find(budget.id, on: app.db)!
            #expect(try await coordinator.submit(manage, to: manage + "/afsluiten", []).status == .seeOther)
            let winner = try #require(try await BudgetRoundProject.query(on: app.db).filter(\.$round.$id == round.requireID()).filter(\.$number == 2).first())
            let initiative = try #require(try await Initiative.find(winner.initiativeID, on: app.db))
            #expect(initiative.status == .granted && initiative.grantedCents == 250_000 && initiative.budgetID == budget.id)
            #expect(try await AreaBudget.find(budget.id, on: app.db)!.availableCents == before.availableCents - 250_000)
            #expect(try await LedgerEntry.query(on: app.db).filter(\.$initiativeID == initiative.id).filter(\.$kind == .committed).count() == 1)
            #expect(try await Idea.find(winner.ideaID, on: app.db)!.initiativeID == initiative.id)
            #expect(try await TestBrowser(app).get(page).text.contains(initiative.code))
            #expect(try await coordinator.submit(manage, to: manage + "/afsluiten", []).status == .conflict, "closed once")

            // Sent batches keep no readable codes.
            #expect(try await coordinator.submit(manage, to: manage + "/codes/1/verstuurd", []).status == .seeOther)
            #expect(try await Self.codes(app, round: round).isEmpty)
            #expect(try await coordinator.get(manage + "/codes/1").status == .gone)
            try await expectSelfDescribingAuditLog(app)
        }
    }

    @Test func aThousandBallotsAtOnceWithAHundredDuplicateCodes() async throws {
        try await withApp(now: Self.now) { app in
            let (area, budget, coordinator) = try await Self.setUp(app)
            #expect(try await coordinator.submit("/gemeenten/oss/buurtbegroting/nieuw", Self.roundForm(area, budget, rule: "count")).status == .seeOther)
            let round = try #require(try await BudgetRound.query(on: app.db).filter(\.$demo == false).first())
            for (i, title) in ["Bankjes", "Bomen", "Speeltuin"].enumerated() {
                try await BudgetRoundService.addProject(round: round.requireID(), title: title, summary: title, idea: nil, at: Self.now, on: app.db)
                let p = try await BudgetRoundProject.query(on: app.db).filter(\.$round.$id == round.requireID()).filter(\.$number == i + 1).first()!
                p.feasible = true; p.costCents = 100_000; p.feasibilityReason = "Kan."
                try await p.update(on: app.db)
            }
            let req = Request(application: app, on: app.eventLoopGroup.any())
            _ = try await BudgetRoundService.issueCodes(round, count: 900, user: nil, req: req)
            let codes = try await Self.codes(app, round: round)
            app.clock = .fixed(Self.now.addingTimeInterval(22 * 86_400))
            // Each of the first 100 codes is sent twice in a row, so the two copies are in flight together; 16
            // submissions race at any moment (more would only wait for the database pool, whose timeout a test
            // server of 2 cores reaches).
            var submissions: [String] = []
            for (i, code) in codes.enumerated() { submissions.append(code); if i < 100 { submissions.append(code) } }
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                var next = 0
                var results: [Bool] = []
                func add() {
                    let (i, code) = (next, submissions[next])
                    next += 1
                    group.addTask {
                        do {
                            try await BudgetRoundService.cast(round, code: code, projects: [i % 3 + 1], channel: .online, declared: true, user: nil,
                                                              req: Request(application: app, on: app.eventLoopGroup.any()))
                            return true
                        } catch let failure as ValidationFailure {
                            #expect(failure.errors.map(\.key) == ["budgetRound.codeUsed"])
                            return false
                        }
                    }
                }
                for _ in 0..<16 { add() }
                while let result = try await group.next() {
                    results.append(result)
                    if next < submissions.count { add() }
                }
                return results
            }
            #expect(outcomes.count == 1_000)
            #expect(outcomes.filter { $0 }.count == 900)
            #expect(try await BudgetRoundBallot.query(on: app.db).filter(\.$round.$id == round.requireID()).count() == 900)
            #expect(try await BudgetRoundChoice.query(on: app.db).filter(\.$roundID == round.requireID()).count() == 900)
            #expect(try await BudgetRoundCode.query(on: app.db).filter(\.$round.$id == round.requireID()).filter(\.$usedOn == nil).count() == 0)
        }
    }

    @Test func resultsAreComputedOnceWhenManyAskAtTheSameMoment() async throws {
        try await withApp(now: Self.now) { app in
            // The demo's finished round (150 ballots): forget its results, then ask 16 times at once.
            let round = try #require(try await BudgetRound.query(on: app.db).filter(\.$demo == true).sort(\.$number).first())
            let cache = BudgetRoundResults.cache(app)
            await BudgetRoundResults.forget(try round.requireID(), on: app)
            let before = cache.started
            let results = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<16 {
                    group.addTask { try await BudgetRoundResults.compute(round, on: Request(application: app, on: app.eventLoopGroup.any())).decisive.selected }
                }
                return try await group.reduce(into: [[String]]()) { $0.append($1) }
            }
            #expect(results.count == 16 && Set(results).count == 1 && !results[0].isEmpty)
            #expect(cache.started == before + 1, "one computation for sixteen requests")
            _ = try await BudgetRoundResults.compute(round, on: Request(application: app, on: app.eventLoopGroup.any()))
            #expect(cache.started == before + 1, "then from the cache")

            // A page does not wait for a long computation: it says the result is being computed, and shows it when done.
            app.storage[BudgetRoundResults.PatienceKey.self] = .zero
            await BudgetRoundResults.forget(try round.requireID(), on: app)
            let page = "/gemeenten/oss/buurtbegroting/\(round.number)"
            let waiting = try await TestBrowser(app).get(page)
            #expect(waiting.status == .ok && waiting.text.contains("De uitslag wordt nu berekend") && !waiting.text.contains("id=\"uitslag\""))
            _ = try await BudgetRoundResults.compute(round, on: Request(application: app, on: app.eventLoopGroup.any()))
            let shown = try await TestBrowser(app).get(page)
            #expect(shown.text.contains("id=\"uitslag\"") && !shown.text.contains("De uitslag wordt nu berekend"))
        }
    }

    @Test func aRoundForTheWholeMunicipalityWithAPotPerArea() async throws {
        try await withApp(now: Self.now) { app in
            let (_, _, coordinator) = try await Self.setUp(app)
            let budgets = try await AreaBudget.query(on: app.db).filter(\.$name ~~ "Wijkbudget").sort(\.$name).all()
            try #require(budgets.count >= 2)
            let (a, b) = (try #require(try await Area.find(budgets[0].$area.id, on: app.db)), try #require(try await Area.find(budgets[1].$area.id, on: app.db)))
            try await Fixture.user(app, email: "geld@buurtbegroting.test", role: .areaManager)
            let manager = TestBrowser(app)
            #expect(try await manager.login("geld@buurtbegroting.test", Fixture.password).status == .seeOther)
            let new = "/gemeenten/oss/buurtbegroting/reeks-nieuw"
            #expect(try await coordinator.get(new).status == .forbidden, "an area's coordinator does not divide the whole municipality")
            #expect(try await manager.get(new).text.contains("Budget voor \(a.name)"))
            var form = Self.roundForm(a, budgets[0]).filter { !["gebied", "budget", "bedrag", "titel"].contains($0.0) }
            form += [("titel", "Buurtbegroting Oss 2027")]
            let before = try await BudgetRound.query(on: app.db).count()
            let none = try await manager.submit(new, form)
            #expect(none.status == .unprocessableEntity && none.text.contains("Kies voor minstens één gebied"))
            let amountOnly = try await manager.submit(new, form + [("bedrag_\(a.slug)", "4000")])
            #expect(amountOnly.status == .unprocessableEntity && amountOnly.text.contains("maar geen budget"), "a typed amount is never dropped silently")
            // One pot larger than its area's budget: refused for that area, the form kept, nothing made.
            let tooMuch = try await manager.submit(new, form + [("budget_\(a.slug)", budgets[0].id!.uuidString), ("bedrag_\(a.slug)", "4000"),
                                                               ("budget_\(b.slug)", budgets[1].id!.uuidString), ("bedrag_\(b.slug)", "9999999")])
            #expect(tooMuch.status == .unprocessableEntity && tooMuch.text.contains("Zo veel geld is er niet") && tooMuch.text.contains("Buurtbegroting Oss 2027"))
            #expect(try await BudgetRound.query(on: app.db).count() == before)
            let made = try await manager.submit(new, form + [("budget_\(a.slug)", budgets[0].id!.uuidString), ("bedrag_\(a.slug)", "4000"),
                                                            ("budget_\(b.slug)", budgets[1].id!.uuidString), ("bedrag_\(b.slug)", "3000")])
            #expect(made.status == .seeOther)
            let rounds = try await BudgetRound.query(on: app.db).filter(\.$series != nil).sort(\.$number).all()
            #expect(rounds.count == 2)
            #expect(Set(rounds.map { $0.$area.id }) == [a.id!, b.id!] && rounds.map(\.amountCents) == [400_000, 300_000])
            #expect(rounds.allSatisfy { $0.series == rounds[0].number && $0.votingFrom == rounds[0].votingFrom && $0.seriesTitle == "Buurtbegroting Oss 2027" })
            let series = try await TestBrowser(app).get("/gemeenten/oss/buurtbegroting/reeks/\(rounds[0].number)")
            #expect(series.status == .ok && series.text.contains(a.name) && series.text.contains(b.name) && series.text.contains("7.000"))
            #expect(try await TestBrowser(app).get("/gemeenten/oss/buurtbegroting/\(rounds[1].number)").text.contains("Dit is de pot van één gebied in"))
            #expect(try await TestBrowser(app).get("/gemeenten/oss/buurtbegroting").text.contains("Buurtbegroting Oss 2027"))
            #expect(try await TestBrowser(app).get("/gemeenten/oss/buurtbegroting/reeks/999").status == .notFound)
            // Each pot is a round of its own area: ideas, votes and results per area.
            #expect(rounds[0].title.hasSuffix(" – \(try #require(try await Area.find(rounds[0].$area.id, on: app.db)).name)"))
        }
    }
}

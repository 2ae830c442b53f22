import Foundation
import Testing
import VaporTesting
import Fluent
import SQLKit
@testable import App
@testable import Domain

@Suite("Cheque rounds (Ede Doet): cheques pooled on initiatives, funded once from the area budget, released after a missed deadline")
struct ChequeRoundTests {
    static let now = BudgetRoundTests.now

    static func initiative(_ app: Application, area: Area, title: String) async throws -> Initiative {
        let p = InitiativeProposal(areaSlug: area.slug, title: title, summary: "Samen de straat opknappen", forWhom: "Buren", place: "De straat", period: "Voorjaar", theme: .green,
                                   askedCents: 3_000, lines: [], supportPeople: "", supportKnowledge: "", supportNetwork: "", supportPlace: "", ownContribution: "Werk",
                                   contactName: "Kim", contactEmail: "kim@voorbeeld.nl", contactPhone: nil)
        return try await InitiativeService.propose(p, municipalityID: area.$municipality.id, areaID: area.requireID(), submit: true, req: Request(application: app, on: app.eventLoopGroup.any())).0
    }

    @Test func chequesFundAnInitiativeOnceAndComeBackWhenTheDeadlineIsMissed() async throws {
        try await withApp(now: Self.now) { app in
            let (area, budget, coordinator) = try await BudgetRoundTests.setUp(app)
            let new = "/gemeenten/oss/buurtbegroting/cheques-nieuw"
            let form: [(String, String)] = [("gebied", area.slug), ("titel", "Ede Doet in \(area.name)"), ("tekst", "Geef uw cheque aan een initiatief."), ("budget", budget.id!.uuidString),
                                            ("bedrag", "150"), ("chequewaarde", "7,50"), ("geldig_van", BudgetRoundTests.day(0)), ("geldig_tot", BudgetRoundTests.day(30))]
            var wrong = form
            wrong[wrong.firstIndex { $0.0 == "geldig_tot" }!] = ("geldig_tot", BudgetRoundTests.day(-1))
            let refused = try await coordinator.submit(new, wrong)
            #expect(refused.status == .unprocessableEntity && refused.text.contains("niet verlopen voordat"))
            #expect(try await coordinator.submit(new, form).status == .seeOther)
            let round = try #require(try await BudgetRound.query(on: app.db).filter(\.$kind == "cheques").first())
            #expect(round.chequeCents == 750)
            let page = "/gemeenten/oss/buurtbegroting/\(round.number)"
            let manage = page + "/beheer"
            // Never more cheques than the money: 150 / 7.50 = 20.
            #expect(try await coordinator.submit(manage, to: manage + "/codes", [("aantal", "21")]).text.contains("nog 20 bij"))
            #expect(try await coordinator.submit(manage, to: manage + "/codes", [("aantal", "20")]).status == .seeOther)
            let codes = try await BudgetRoundTests.codes(app, round: round)

            // Two initiatives collect: one needs €30 (4 cheques) until day 10, one €15 (2 cheques) until day 30.
            let street = try await Self.initiative(app, area: area, title: "Geveltuinen in de straat")
            let bench = try await Self.initiative(app, area: area, title: "Bankje bij de boom")
            #expect(try await coordinator.submit(manage, to: manage + "/initiatief", [("initiatief", street.code), ("doel", "30"), ("deadline", BudgetRoundTests.day(40))]).text.contains("zo lang zijn de cheques geldig"))
            #expect(try await coordinator.submit(manage, to: manage + "/initiatief", [("initiatief", street.code), ("doel", "30"), ("deadline", BudgetRoundTests.day(10))]).status == .seeOther)
            #expect(try await coordinator.submit(manage, to: manage + "/initiatief", [("initiatief", bench.code), ("doel", "15"), ("deadline", BudgetRoundTests.day(30))]).status == .seeOther)
            #expect(try await coordinator.submit(manage, to: manage + "/initiatief", [("initiatief", bench.code), ("doel", "15"), ("deadline", BudgetRoundTests.day(30))]).status == .unprocessableEntity)

            // Pledges: a wrong code, then one cheque on the street's initiative.
            let resident = TestBrowser(app)
            #expect(try await resident.submit(page, to: page + "/cheque", [("code", "ABCD-EFGH-JKMN"), ("initiatief", "1")]).text.contains("kennen wij niet"))
            #expect(try await resident.submit(page, to: page + "/cheque", [("code", codes[0]), ("initiatief", "1")]).status == .seeOther)
            #expect(try await resident.submit(page, to: page + "/cheque", [("code", codes[0]), ("initiatief", "2")]).status == .conflict, "a cheque is given once")
            #expect(try await TestBrowser(app).get(page).text.contains("nog 4 cheques nodig") == false)
            #expect(try await TestBrowser(app).get(page).text.contains("nog 3 cheques nodig"))

            // Ten cheques at once on the bench (needs 2): funded exactly once, the rest refused and still free.
            let before = try await AreaBudget.find(budget.id, on: app.db)!.availableCents
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for code in codes[1...10] {
                    group.addTask {
                        do {
                            try await ChequeService.pledge(round, code: code, project: 2, req: Request(application: app, on: app.eventLoopGroup.any()))
                            return true
                        } catch let failure as ValidationFailure {
                            #expect(failure.errors.map(\.key) == ["cheques.alreadyFunded"])
                            return false
                        }
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 2)
            let funded = try #require(try await Initiative.find(bench.id, on: app.db))
            #expect(funded.status == .granted && funded.grantedCents == 1_500 && funded.budgetID == budget.id)
            #expect(try await AreaBudget.find(budget.id, on: app.db)!.availableCents == before - 1_500)
            #expect(try await LedgerEntry.query(on: app.db).filter(\.$initiativeID == bench.id).count() == 1)
            #expect(try await BudgetRoundCode.query(on: app.db).filter(\.$round.$id == round.requireID()).filter(\.$usedOn != nil).count() == 3)

            // The street's deadline passes with one cheque of four: it is released and can be given again.
            app.clock = .fixed(Self.now.addingTimeInterval(11 * 86_400))
            #expect(try await TestBrowser(app).get(page).text.contains("Niet gehaald, cheques terug"))
            // (No initiative collects now, so the page has no form: ask the service directly.)
            await #expect(throws: ValidationFailure.self) { try await ChequeService.pledge(round, code: codes[0], project: 1, req: Request(application: app, on: app.eventLoopGroup.any())) }
            let third = try await Self.initiative(app, area: area, title: "Plantenbakken")
            _ = try await coordinator.login("wijk@buurtbegroting.test", Fixture.password)
            #expect(try await coordinator.submit(manage, to: manage + "/initiatief", [("initiatief", third.code), ("doel", "7,50"), ("deadline", BudgetRoundTests.day(30))]).status == .seeOther)
            #expect(try await resident.submit(page, to: page + "/cheque", [("code", codes[0]), ("initiatief", "3")]).status == .seeOther, "the released cheque is given again")
            #expect(try await Initiative.find(third.id, on: app.db)!.status == .granted)
            // After the period the cheques have expired.
            app.clock = .fixed(Self.now.addingTimeInterval(32 * 86_400))
            #expect(try await BudgetRoundCode.query(on: app.db).filter(\.$round.$id == round.requireID()).filter(\.$usedOn == nil).count() > 0)
            #expect(try await resident.submit(page, to: page + "/cheque", [("code", codes[15]), ("initiatief", "2")]).status != .seeOther)
            try await expectSelfDescribingAuditLog(app)
        }
    }
}

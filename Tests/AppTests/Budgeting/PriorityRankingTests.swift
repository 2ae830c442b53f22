import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import Domain

@Suite("Weighted ranking of main priorities (Venray): criteria, one priority per area, scores, the public ranking and its adoption")
struct PriorityRankingTests {
    static let now = BudgetRoundTests.now

    static let criteria: [(String, String)] = [
        ("titel", "Weging dorpen en wijken 2027"), ("jaar", "2027"), ("krediet", "100000"), ("tekst", "Het raamkrediet voor de hoofdprioriteiten."),
        ("criterium_1_naam", "Leefbaarheid"), ("criterium_1_uitleg", ""), ("criterium_1_gewicht", "40"), ("criterium_1_max", "5"),
        ("criterium_2_naam", "Draagvlak"), ("criterium_2_uitleg", ""), ("criterium_2_gewicht", "30"), ("criterium_2_max", "5"),
        ("eigen_uitleg", "Geld en uren van het gebied"), ("eigen_gewicht", "30"), ("eigen_max", "5"), ("eigen_volledig", "50"),
    ]

    static func entry(_ title: String, cost: String, own: String, feasible: String = "ja") -> [(String, String)] {
        [("titel", title), ("samenvatting", "Wat het gebied het liefst wil."), ("kosten", cost), ("eigen_bedrag", own), ("eigen_tekst", own.isEmpty ? "" : "Vrijwilligers en sponsors"),
         ("haalbaar", feasible), ("reden", feasible.isEmpty ? "" : "Getoetst door de afdeling"), ("contact_naam", "Secretaris"), ("contact_email", "secretaris@dorpsraad.test")]
    }

    @Test func aWeighingFromCriteriaToFundedInitiatives() async throws {
        try await withApp(now: Self.now) { app in
            // Without the demo's weighing, so that numbers and totals are this test's own.
            #expect(try await PriorityRanking.query(on: app.db).filter(\.$demo == true).count() == 1)
            try await PriorityScore.query(on: app.db).delete()
            try await PriorityEntry.query(on: app.db).delete()
            try await PriorityCriterion.query(on: app.db).delete()
            try await PriorityRanking.query(on: app.db).delete()
            let oss = try #require(try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first())
            let areas = try await Area.query(on: app.db).filter(\.$municipality.$id == oss.requireID()).sort(\.$slug).all()
            let village = try #require(areas.first { $0.kind == .village })
            let towns = areas.filter { $0.kind == .neighbourhood }
            try #require(towns.count >= 2)
            let (own, other) = (towns[0], towns[1])
            try await Fixture.user(app, email: "beheer@weging.test", role: .areaManager)
            try await Fixture.user(app, email: "wijk@weging.test", role: .areaCoordinator, areas: [own.slug])
            let manager = TestBrowser(app)
            #expect(try await manager.login("beheer@weging.test", Fixture.password).status == .seeOther)
            let coordinator = TestBrowser(app)
            #expect(try await coordinator.login("wijk@weging.test", Fixture.password).status == .seeOther)

            // Setting up: the form starts with Venray's kind of criteria; bad rows are refused with the form kept.
            let new = "/gemeenten/oss/hoofdprioriteiten/nieuw"
            #expect(try await manager.get(new).text.contains("Leefbaarheid"))
            #expect(try await coordinator.get(new).status == .forbidden, "a coordinator does not set the criteria")
            var bad = Self.criteria
            bad[bad.firstIndex { $0.0 == "criterium_1_gewicht" }!] = ("criterium_1_gewicht", "0")
            bad[bad.firstIndex { $0.0 == "eigen_max" }!] = ("eigen_max", "11")
            bad[bad.firstIndex { $0.0 == "krediet" }!] = ("krediet", "")
            bad += [("criterium_3_naam", ""), ("criterium_3_gewicht", "20")]
            let refused = try await manager.submit(new, bad)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.text.contains("van 1 tot en met 100") && refused.text.contains("van 1 tot en met 10") && refused.text.contains("maak de rij helemaal leeg"))
            #expect(refused.text.contains("Weging dorpen en wijken 2027"))
            #expect(try await PriorityRanking.query(on: app.db).count() == 0)
            #expect(try await manager.submit(new, Self.criteria).status == .seeOther)
            let ranking = try #require(try await PriorityRanking.query(on: app.db).first())
            #expect(ranking.creditCents == 10_000_000)
            #expect(try await PriorityCriterion.query(on: app.db).filter(\.$ranking.$id == ranking.requireID()).count() == 3)
            let base = "/gemeenten/oss/hoofdprioriteiten/\(ranking.number)"
            let manage = base + "/beheer"

            // The coordinator puts forward their own area's priority, not another's; a verdict needs its reason.
            #expect(try await coordinator.get(manage + "/gebieden/\(other.slug)").status == .forbidden)
            var noReason = Self.entry("Speeltuin", cost: "40000", own: "")
            noReason[noReason.firstIndex { $0.0 == "reden" }!] = ("reden", "")
            let refusedEntry = try await coordinator.submit(manage + "/gebieden/\(own.slug)", noReason)
            #expect(refusedEntry.status == .unprocessableEntity && refusedEntry.text.contains("Leg uit waarom") && refusedEntry.text.contains("Speeltuin"))
            var ownWithoutText = Self.entry("Speeltuin", cost: "40000", own: "5000")
            ownWithoutText[ownWithoutText.firstIndex { $0.0 == "eigen_tekst" }!] = ("eigen_tekst", "")
            #expect(try await coordinator.submit(manage + "/gebieden/\(own.slug)", ownWithoutText).status == .unprocessableEntity)
            #expect(try await coordinator.submit(manage + "/gebieden/\(own.slug)", Self.entry("Speeltuin", cost: "40000", own: "50000")).text.contains("niet hoger zijn dan de kosten"))
            #expect(try await coordinator.submit(manage + "/gebieden/\(own.slug)", Self.entry("Speeltuin", cost: "40000", own: "")).status == .seeOther)
            // The village brings half of the cost itself; a third area is not found feasible yet.
            #expect(try await manager.submit(manage + "/gebieden/\(village.slug)", Self.entry("Dorpshuis", cost: "30000", own: "15000")).status == .seeOther)
            #expect(try await manager.submit(manage + "/gebieden/\(other.slug)", Self.entry("Wijkpark", cost: "50000", own: "5000", feasible: "")).status == .seeOther)

            // Ten saves of the same area at once: still one priority for the area.
            let request = Request(application: app, on: app.eventLoopGroup.any())
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<10 {
                    group.addTask {
                        let input = try PriorityRankingService.readEntry(Dictionary(uniqueKeysWithValues: Self.entry("Dorpshuis \(i)", cost: "30000", own: "15000"))).get()
                        _ = try await PriorityRankingService.saveEntry(input, ranking: ranking, area: village.requireID(), user: nil,
                                                                        req: Request(application: app, on: app.eventLoopGroup.any()))
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await PriorityEntry.query(on: app.db).filter(\.$area.$id == village.requireID()).count() == 1)
            #expect(try await manager.submit(manage + "/gebieden/\(village.slug)", Self.entry("Dorpshuis", cost: "30000", own: "15000")).status == .seeOther)
            let entries = try await PriorityEntry.query(on: app.db).sort(\.$number).all()
            #expect(entries.map(\.title) == ["Speeltuin", "Dorpshuis", "Wijkpark"])

            // Scores: only budget managers, within the scale.
            let speeltuin = manage + "/scores/1", dorpshuis = manage + "/scores/2"
            #expect(try await coordinator.get(speeltuin).status == .forbidden)
            let outOfScale = try await manager.submit(speeltuin, [("score_1", "6"), ("toelichting_1", "Heel goed"), ("score_2", "3"), ("toelichting_2", "")])
            #expect(outOfScale.status == .unprocessableEntity && outOfScale.text.contains("van 0 tot en met 5") && outOfScale.text.contains("Heel goed"))
            #expect(try await manager.submit(speeltuin, [("score_1", "5"), ("toelichting_1", "Veel kinderen, geen speelplek"), ("score_2", "3"), ("toelichting_2", "")]).status == .seeOther)
            #expect(try await manager.submit(dorpshuis, [("score_1", "3"), ("toelichting_1", ""), ("score_2", "4"), ("toelichting_2", "")]).status == .seeOther)

            // The public page: every weight, score and point; the village first (78 against 58); the outcome per kind;
            // never the contact's e-mail address.
            let page = try await TestBrowser(app).get(base)
            #expect(page.status == .ok)
            let text = page.text
            #expect(text.contains("Voorlopig") && text.contains("Veel kinderen, geen speelplek"))
            #expect(text.range(of: "Dorpshuis")!.lowerBound < text.range(of: "Speeltuin")!.lowerBound)
            #expect(text.contains("78,0") && text.contains("58,0") && text.contains("50,0 %"))
            #expect(text.contains("Dorpen") && text.contains("Wijken") && text.contains("nog niet haalbaar bevonden"))
            #expect(!text.contains("secretaris@dorpsraad.test"))
            #expect(try await TestBrowser(app).get("/gemeenten/oss/hoofdprioriteiten").text.contains("Weging dorpen en wijken 2027"))
            #expect(try await TestBrowser(app).get("/gemeenten/oss").text.contains("Weging dorpen en wijken 2027"))
            #expect(try await manager.get("/werk").text.contains("Hoofdprioriteiten om te scoren"))
            #expect(try await TestBrowser(app).get("/gemeenten/oss/hoofdprioriteiten/99").status == .notFound)

            // Adopting: both ripe priorities fit the credit of €100,000 and become granted initiatives with their
            // own budget in their area's ledger; twice at once adopts once, and nothing changes afterwards.
            let s = try await request.snapshot("oss")
            let adoptions = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        do {
                            try await PriorityRankingService.adopt(ranking, snapshot: s, user: nil, req: Request(application: app, on: app.eventLoopGroup.any()))
                            return true
                        } catch let failure as ValidationFailure {
                            #expect(failure.errors.map(\.key) == ["priorities.adopted"])
                            return false
                        }
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(adoptions.filter { $0 }.count == 1)
            let granted = try await Initiative.query(on: app.db).filter(\.$title ~~ ["Dorpshuis", "Speeltuin", "Wijkpark"]).all()
            #expect(Set(granted.map(\.title)) == ["Dorpshuis", "Speeltuin"])
            #expect(granted.allSatisfy { $0.status == .granted })
            #expect(granted.first { $0.title == "Dorpshuis" }?.decisionText?.contains("plaats 1 met 78,0 van de 100 punten") == true)
            for initiative in granted {
                let budget = try #require(try await AreaBudget.find(initiative.budgetID, on: app.db))
                #expect(budget.$area.id == initiative.$area.id && budget.allocatedCents == initiative.grantedCents && budget.committedCents == initiative.grantedCents)
                #expect(budget.name == "Hoofdprioriteit \(ranking.number): Weging dorpen en wijken 2027", "named after the weighing's number, so equal titles never clash")
            }
            #expect(try await PriorityEntry.query(on: app.db).filter(\.$initiativeID != nil).count() == 2)
            #expect(granted.allSatisfy { $0.contactEmail == "secretaris@dorpsraad.test" })
            #expect(try await PriorityEntry.query(on: app.db).all().allSatisfy { $0.contactEmail.isEmpty && $0.contactName.isEmpty },
                    "after adoption the weighing keeps no contacts")
            #expect(try await OutgoingMail.query(on: app.db).filter(\.$recipient == "secretaris@dorpsraad.test").count() == 2)
            let adopted = try await TestBrowser(app).get(base)
            #expect(adopted.text.contains("Vastgesteld op") && adopted.text.contains(granted[0].code))
            #expect(try await manager.submit(manage + "/gebieden/\(village.slug)", Self.entry("Anders", cost: "1000", own: "")).status != .seeOther)
            #expect(try await manager.post(manage + "/vaststellen", form: [("csrf", "")]).status != .seeOther)

            // A new weighing starts with the criteria of the last one.
            #expect(try await manager.get(new).text.contains("Draagvlak"))
        }
    }
}

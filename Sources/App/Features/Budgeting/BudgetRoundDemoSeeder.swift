import Vapor
import Fluent
import SQLKit
import Domain

/// Demo rounds in Oss (made-up projects, marked as demo): one whose voting ended yesterday, with ballots, so its
/// result and both rules can be seen and the round closed; one open for voting, with a batch of codes staff can
/// print from its page.
enum BudgetRoundDemoSeeder {
    static let projects: [(String, String, Int, Int)] = [
        ("Bankjes langs het wandelpad", "Vijf bankjes zodat ouderen onderweg kunnen rusten.", 4_000, 60),
        ("Moestuin bij de school", "Kinderen en buren kweken samen groente.", 6_500, 45),
        ("Jeu-de-boulesbaan", "Een baan naast het buurthuis, met verlichting.", 9_000, 30),
        ("Bloemen in de wijk", "Bloembakken op drie pleinen, onderhouden door buren.", 2_500, 40),
        ("Speelplek voor de kleinsten", "Een zandbak en een klein klimtoestel.", 12_000, 35),
        ("Buurtfeest", "Eén groot feest voor de hele buurt in september.", 3_000, 25),
    ]

    static func seed(app: Application) async throws {
        guard try await BudgetRound.query(on: app.db).filter(\.$demo == true).count() == 0,
              let oss = try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first() else { return }
        let budgets = try await AreaBudget.query(on: app.db).filter(\.$municipality.$id == oss.requireID()).filter(\.$demo == true).filter(\.$name ~~ "Wijkbudget").sort(\.$name).all()
        guard budgets.count >= 2 else { return }
        let now = app.clock()
        let day = { (offset: Int) in DutchTime.calendar.startOfDay(for: now.addingTimeInterval(Double(offset) * 86_400)) }
        var random = SplitMix(seed: 828)
        for (index, budget) in budgets.prefix(2).enumerated() {
            guard let area = try await Area.find(budget.$area.id, on: app.db) else { continue }
            let amount = min(20_000_00, budget.availableCents / 100_00 * 100_00)
            guard amount >= 10_000_00 else { continue }
            let finished = index == 0
            let round = BudgetRound()
            round.$municipality.id = try oss.requireID()
            round.$area.id = area.id!
            round.$budget.id = try budget.requireID()
            round.number = index + 1
            round.title = "Buurtbegroting \(area.name) (demo)"
            round.text = "Bewoners van \(area.name) bedenken plannen en kiezen samen welke plannen het geld krijgen. Verzonnen voorbeeld van de demo."
            round.amountCents = amount
            let offset = finished ? -60 : -30
            round.ideasFrom = day(offset)
            round.ideasUntil = day(offset + 14)
            round.feasibilityUntil = day(offset + 24)
            round.votingFrom = day(offset + 25)
            round.votingUntil = finished ? day(-1) : day(10)
            round.ruleKind = "budget"
            round.minimumPercent = 0
            round.minimumProjects = 1
            round.maximumProjects = 3
            round.decidedBy = finished ? AllocationRule.equalSharesAdd1Greedy.rawValue : AllocationRule.greedy.rawValue
            round.showCounts = false
            round.minimumAge = 16
            round.demo = true
            round.kind = "vote"
            round.chequeCents = 0
            round.createdAt = day(offset - 7)
            round.updatedAt = now
            round.version = 1
            try await round.create(on: app.db)
            let roundID = try round.requireID()
            for (i, p) in projects.enumerated() {
                let project = BudgetRoundProject()
                project.$round.id = roundID
                project.number = i + 1
                project.title = p.0
                project.summary = p.1
                project.costCents = p.2 * 100
                project.feasible = true
                project.feasibilityReason = "Kan, de gemeente heeft de kosten nagerekend. (demo)"
                project.assessedAt = day(offset + 20)
                project.createdAt = day(offset + 3)
                try await project.create(on: app.db)
            }
            guard let sql = app.db as? any SQLDatabase else { continue }
            if finished {
                // 150 ballots: each voter picks projects by their popularity, within the money.
                for n in 0..<150 {
                    var chosen: [Int] = []
                    var spent = 0
                    for (i, p) in projects.enumerated() where Int(random.next() % 100) < p.3 && spent + p.2 <= amount / 100 {
                        chosen.append(i + 1)
                        spent += p.2
                    }
                    if chosen.isEmpty { chosen = [n % projects.count + 1] }
                    let ballotID = UUID()
                    try await sql.raw("""
                        INSERT INTO budget_round_ballots (id, round_id, receipt_hash, channel) VALUES (\(bind: ballotID), \(bind: roundID), \(bind: sha256Hex("demo-\(roundID)-\(n)")), \(bind: n % 10 == 0 ? "paper" : "online"))
                        """).run()
                    for number in chosen {
                        try await sql.raw("INSERT INTO budget_round_choices (id, ballot_id, round_id, project_number) VALUES (\(bind: UUID()), \(bind: ballotID), \(bind: roundID), \(bind: number))").run()
                    }
                }
            } else {
                let batch = BudgetRoundCodeBatch()
                batch.$round.id = roundID
                batch.number = 1
                batch.count = 50
                batch.createdAt = day(offset + 24)
                try await batch.create(on: app.db)
                var rng = SystemRandomNumberGenerator()
                try await BudgetRoundService.insertCodes((1...50).map { _ in VotingCode.generate(using: &rng) }, batch: batch.requireID(), round: roundID, on: app.db)
            }
        }
    }

    /// A small deterministic generator, so every demo has the same ballots.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
    }
}

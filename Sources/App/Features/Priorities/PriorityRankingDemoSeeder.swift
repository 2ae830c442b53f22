import Vapor
import Fluent
import Domain

/// A demo weighing in Oss (made-up priorities, marked as demo), not yet adopted: villages bring in more of their
/// own than neighbourhoods, so the outcome per area kind shows the bias seed 001 describes; one priority still
/// waits for its feasibility, one for its scores, so staff can finish and adopt it.
enum PriorityRankingDemoSeeder {
    static let villagePriorities: [(String, String, Int, Int, [Int])] = [
        ("Nieuw dorpshuis", "Het oude gemeenschapshuis wordt vervangen; verenigingen bouwen mee.", 120_000, 60_000, [3, 5, 4]),
        ("Veilige fietsroute naar school", "Een vrijliggend fietspad langs de provinciale weg.", 90_000, 20_000, [4, 4, 5]),
        ("Zorgcoöperatie", "Vrijwilligers organiseren hulp voor ouderen in het dorp.", 40_000, 25_000, [4, 5, 3]),
    ]
    static let neighbourhoodPriorities: [(String, String, Int, Int, [Int])] = [
        ("Groen schoolplein", "Tegels eruit, bomen en spelen erin; open na schooltijd.", 80_000, 5_000, [5, 3, 4]),
        ("Ontmoetingsplek in de flat", "Een ruimte op de begane grond voor buren en het wijkteam.", 60_000, 2_000, [5, 2, 5]),
        ("Betere verlichting in het park", "Meer licht op de paden, zodat het 's avonds veilig voelt.", 50_000, 0, [4, 3, 3]),
    ]

    static func seed(app: Application) async throws {
        guard try await PriorityRanking.query(on: app.db).filter(\.$demo == true).count() == 0,
              let oss = try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first() else { return }
        let mid = try oss.requireID()
        let areas = try await Area.query(on: app.db).filter(\.$municipality.$id == mid).sort(\.$position).all()
        let villages = areas.filter { $0.kind == .village }.prefix(villagePriorities.count)
        let towns = areas.filter { $0.kind == .neighbourhood }.prefix(neighbourhoodPriorities.count)
        guard !villages.isEmpty || !towns.isEmpty else { return }
        let now = app.clock()
        let year = DutchTime.calendar.component(.year, from: now) + 1
        try await app.db.transaction { db in
            let ranking = PriorityRanking()
            ranking.$municipality.id = mid
            ranking.number = (try await PriorityRanking.query(on: db).filter(\.$municipality.$id == mid).max(\.$number) ?? 0) + 1
            ranking.year = year
            ranking.title = "Hoofdprioriteiten \(year) (demo)"
            ranking.text = "Elk dorp en elke wijk brengt één hoofdprioriteit in; het raamkrediet gaat de rangorde af. Verzonnen voorbeeld van de demo."
            ranking.creditCents = 250_000_00
            ranking.demo = true
            ranking.createdAt = now
            ranking.updatedAt = now
            try await ranking.create(on: db)
            var criteria: [PriorityCriterion] = []
            for (i, c) in [("Leefbaarheid", "Hoeveel beter wordt het wonen en leven in het gebied?", 40, 5, nil as Int?),
                           ("Draagvlak in het gebied", "Hoeveel inwoners en partners steunen het en doen mee?", 25, 5, nil),
                           ("Past bij de gebiedsagenda", "Hoe goed past het bij de speerpunten van de agenda van het gebied?", 15, 5, nil),
                           ("", "Geld en uren die de inwoners zelf inbrengen, als deel van de kosten.", 20, 5, 50)].enumerated() {
                let criterion = PriorityCriterion()
                criterion.$ranking.id = try ranking.requireID()
                criterion.position = i + 1
                criterion.name = c.0
                criterion.explanation = c.1
                criterion.weight = c.2
                criterion.maxScore = c.3
                criterion.fullAtPercent = c.4
                try await criterion.create(on: db)
                criteria.append(criterion)
            }
            let pairs = zip(villages, villagePriorities).map { ($0, $1) } + zip(towns, neighbourhoodPriorities).map { ($0, $1) }
            for (index, (area, p)) in pairs.enumerated() {
                let entry = PriorityEntry()
                entry.$ranking.id = try ranking.requireID()
                entry.$area.id = try area.requireID()
                entry.number = index + 1
                entry.title = p.0
                entry.summary = p.1 + " (demo)"
                entry.costCents = p.2 * 100
                entry.ownCents = p.3 * 100
                entry.ownText = p.3 > 0 ? "Vrijwilligersuren, sponsors en een bijdrage van de vereniging (demo)." : ""
                let lastTown = index == pairs.count - 1
                entry.feasible = lastTown ? nil : true
                entry.feasibilityReason = lastTown ? nil : "Getoetst door de afdeling Openbare Ruimte (demo)."
                entry.contactName = "Secretaris \(area.name)"
                entry.contactEmail = "secretaris@voorbeeld.nl"
                entry.createdAt = now
                entry.updatedAt = now
                try await entry.create(on: db)
                guard index != 0 || pairs.count < 3 else { continue } // the first village still waits for its scores
                for (criterion, score) in zip(criteria.filter { $0.fullAtPercent == nil }, p.4) {
                    let row = PriorityScore()
                    row.$entry.id = try entry.requireID()
                    row.$criterion.id = try criterion.requireID()
                    row.score = score
                    row.note = ""
                    row.scoredAt = now
                    try await row.create(on: db)
                }
            }
        }
    }
}

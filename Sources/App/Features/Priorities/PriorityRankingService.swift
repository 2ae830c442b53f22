import Vapor
import Fluent
import SQLKit
import Domain

/// The weighing of main priorities (Venray): setting up a weighing with its criteria, each area's main priority,
/// the scores, the ranking computed from them (`WeightedRanking`), and adopting it, after which the funded
/// priorities become granted initiatives with their money in the area's ledger.
enum PriorityRankingService {
    /// Rows for judged criteria on the new-weighing form (blank rows are left out).
    static let criterionRows = 6

    struct Setup {
        var title: String
        var year: Int
        var text: String
        var creditCents: Int
        var criteria: [(name: String, explanation: String, weight: Int, maxScore: Int, fullAtPercent: Int?)]
    }

    /// The criteria a new weighing starts with: those of the municipality's latest weighing, or Venray's kind of
    /// weighing (liveability, support in the area, fit with the area's agenda, and the own contribution).
    static func defaultValues(_ req: Request, latest: PriorityRanking?, on db: any Database) async throws -> [String: String] {
        var v: [String: String] = ["jaar": String(DutchTime.calendar.component(.year, from: req.application.clock()))]
        var judged: [(String, String, Int, Int)] = [
            (req.t("priorities.default.liveability"), req.t("priorities.default.liveabilityHelp"), 40, 5),
            (req.t("priorities.default.support"), req.t("priorities.default.supportHelp"), 25, 5),
            (req.t("priorities.default.agenda"), req.t("priorities.default.agendaHelp"), 15, 5),
        ]
        var own = (req.t("priorities.default.ownHelp"), 20, 5, 50)
        if let latest {
            let criteria = try await PriorityCriterion.query(on: db).filter(\.$ranking.$id == latest.requireID()).sort(\.$position).all()
            judged = criteria.filter { $0.fullAtPercent == nil }.map { ($0.name, $0.explanation, $0.weight, $0.maxScore) }
            if let o = criteria.first(where: { $0.fullAtPercent != nil }) { own = (o.explanation, o.weight, o.maxScore, o.fullAtPercent ?? 50) }
        }
        for (i, c) in judged.prefix(criterionRows).enumerated() {
            v["criterium_\(i + 1)_naam"] = c.0
            v["criterium_\(i + 1)_uitleg"] = c.1
            v["criterium_\(i + 1)_gewicht"] = String(c.2)
            v["criterium_\(i + 1)_max"] = String(c.3)
        }
        v["eigen_uitleg"] = own.0
        v["eigen_gewicht"] = String(own.1)
        v["eigen_max"] = String(own.2)
        v["eigen_volledig"] = String(own.3)
        return v
    }

    static func readSetup(_ v: [String: String]) -> Result<Setup, ValidationFailure> {
        var errors: [FieldError] = []
        let title = Input.text(v["titel"], field: "titel", max: 120).collect(into: &errors)
        let year = Int((v["jaar"] ?? "").trimmingCharacters(in: .whitespaces))
        if year == nil || !(2000...2100).contains(year!) { errors.append(FieldError("jaar", "budget.yearInvalid")) }
        let text = Input.text(v["tekst"], field: "tekst", max: 4000, required: false).collect(into: &errors)
        let credit = Input.cents(v["krediet"], field: "krediet", positive: true, errors: &errors)
        func number(_ field: String, _ range: ClosedRange<Int>, key: String) -> Int? {
            guard let n = Int((v[field] ?? "").trimmingCharacters(in: .whitespaces)), range.contains(n) else {
                errors.append(FieldError(field, key, [String(range.lowerBound), String(range.upperBound)]))
                return nil
            }
            return n
        }
        var criteria: [(name: String, explanation: String, weight: Int, maxScore: Int, fullAtPercent: Int?)] = []
        for i in 1...criterionRows {
            let p = "criterium_\(i)_"
            let name = (v[p + "naam"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if name.isEmpty {
                if ![v[p + "uitleg"], v[p + "gewicht"]].allSatisfy({ ($0 ?? "").trimmingCharacters(in: .whitespaces).isEmpty }) {
                    errors.append(FieldError(p + "naam", "priorities.criterionNameMissing"))
                }
                continue
            }
            let checked = Input.text(name, field: p + "naam", max: 80).collect(into: &errors)
            let explanation = Input.text(v[p + "uitleg"], field: p + "uitleg", max: 400, required: false).collect(into: &errors)
            let weight = number(p + "gewicht", 1...100, key: "priorities.numberRange")
            let max = number(p + "max", 1...10, key: "priorities.numberRange")
            if let checked, let explanation, let weight, let max { criteria.append((checked, explanation, weight, max, nil)) }
        }
        if criteria.isEmpty && !errors.contains(where: { $0.field.hasPrefix("criterium_") }) { errors.append(FieldError("criterium_1_naam", "priorities.criteriaMissing")) }
        let ownExplanation = Input.text(v["eigen_uitleg"], field: "eigen_uitleg", max: 400, required: false).collect(into: &errors)
        let ownWeight = number("eigen_gewicht", 1...100, key: "priorities.numberRange")
        let ownMax = number("eigen_max", 1...10, key: "priorities.numberRange")
        let fullAt = number("eigen_volledig", 1...100, key: "priorities.numberRange")
        guard errors.isEmpty, let title, let year, let text, let credit, let ownExplanation, let ownWeight, let ownMax, let fullAt else {
            return .failure(ValidationFailure(errors))
        }
        criteria.append((name: "", explanation: ownExplanation, weight: ownWeight, maxScore: ownMax, fullAtPercent: fullAt))
        return .success(Setup(title: title, year: year, text: text, creditCents: credit, criteria: criteria))
    }

    static func create(_ setup: Setup, municipality m: UUID, user: User?, req: Request) async throws -> PriorityRanking {
        let now = req.application.clock()
        for attempt in 1...4 {
            let ranking = PriorityRanking()
            ranking.$municipality.id = m
            ranking.year = setup.year
            ranking.title = setup.title
            ranking.text = setup.text
            ranking.creditCents = setup.creditCents
            ranking.demo = false
            ranking.createdAt = now
            ranking.updatedAt = now
            do {
                try await req.db.writeTransaction { db in
                    ranking.number = (try await PriorityRanking.query(on: db).filter(\.$municipality.$id == m).max(\.$number) ?? 0) + 1
                    try await ranking.create(on: db)
                    for (i, c) in setup.criteria.enumerated() {
                        let criterion = PriorityCriterion()
                        criterion.$ranking.id = try ranking.requireID()
                        criterion.position = i + 1
                        criterion.name = c.name
                        criterion.explanation = c.explanation
                        criterion.weight = c.weight
                        criterion.maxScore = c.maxScore
                        criterion.fullAtPercent = c.fullAtPercent
                        try await criterion.create(on: db)
                    }
                    try await req.audit(.priorityRankingCreate, subject(ranking), after: ["title": ranking.title, "credit": Money.format(ranking.creditCents),
                                                                                         "criteria": setup.criteria.map { "\($0.name.isEmpty ? "eigen inbreng" : $0.name) ×\($0.weight)" }.joined(separator: ", ")], on: db)
                }
                return ranking
            } catch let error as any DatabaseError where error.isConstraintFailure && attempt < 4 {
                continue // another weighing was numbered at the same moment
            }
        }
        throw AppError(status: .serviceUnavailable, key: "error.503")
    }

    // MARK: Main priorities and scores

    struct EntryInput {
        var title: String
        var summary: String
        var costCents: Int
        var ownCents: Int
        var ownText: String
        var feasible: Bool?
        var reason: String?
        var contactName: String
        var contactEmail: String
    }

    static func readEntry(_ v: [String: String]) -> Result<EntryInput, ValidationFailure> {
        var errors: [FieldError] = []
        let title = Input.text(v["titel"], field: "titel", max: 120).collect(into: &errors)
        let summary = Input.text(v["samenvatting"], field: "samenvatting", max: 4000).collect(into: &errors)
        let cost = Input.cents(v["kosten"], field: "kosten", positive: true, errors: &errors)
        let own = Input.cents(v["eigen_bedrag"], field: "eigen_bedrag", required: false, errors: &errors) ?? 0
        if own < 0 { errors.append(FieldError("eigen_bedrag", "money.notPositive")) }
        if let cost, own > cost { errors.append(FieldError("eigen_bedrag", "priorities.ownAboveCost")) }
        let ownText = Input.text(v["eigen_tekst"], field: "eigen_tekst", max: 2000, required: own > 0).collect(into: &errors)
        var feasible: Bool? = nil
        switch v["haalbaar"] ?? "" {
        case "ja": feasible = true
        case "nee": feasible = false
        case "": break
        default: errors.append(FieldError("haalbaar", "priorities.feasibleChoose"))
        }
        let reason = Input.text(v["reden"], field: "reden", max: 2000, required: false).collect(into: &errors)
        if feasible != nil && (reason ?? "").isEmpty && !errors.contains(where: { $0.field == "reden" }) { errors.append(FieldError("reden", "priorities.reasonMissing")) }
        let name = Input.text(v["contact_naam"], field: "contact_naam", max: 120).collect(into: &errors)
        let email = Credentials.normaliseEmail(v["contact_email"] ?? "", field: "contact_email").collect(into: &errors)
        guard errors.isEmpty, let title, let summary, let cost, let ownText, let reason, let name, let email else { return .failure(ValidationFailure(errors)) }
        return .success(EntryInput(title: title, summary: summary, costCents: cost, ownCents: own, ownText: ownText, feasible: feasible,
                                   reason: reason.isEmpty ? nil : reason, contactName: name, contactEmail: email))
    }

    /// The area's main priority: one per area, so a second save changes it (also when two arrive at once).
    static func saveEntry(_ input: EntryInput, ranking: PriorityRanking, area: UUID, user: User?, req: Request) async throws -> PriorityEntry {
        guard ranking.adoptedAt == nil else { throw adopted() }
        let now = req.application.clock()
        for attempt in 1...4 {
            do {
                return try await req.db.writeTransaction { db in
                    try await stillOpen(ranking, on: db)
                    let existing = try await PriorityEntry.query(on: db).filter(\.$ranking.$id == ranking.requireID()).filter(\.$area.$id == area).first()
                    let entry = existing ?? PriorityEntry()
                    if existing == nil {
                        entry.$ranking.id = try ranking.requireID()
                        entry.$area.id = area
                        entry.number = (try await PriorityEntry.query(on: db).filter(\.$ranking.$id == ranking.requireID()).max(\.$number) ?? 0) + 1
                        entry.createdAt = now
                    }
                    entry.title = input.title
                    entry.summary = input.summary
                    entry.costCents = input.costCents
                    entry.ownCents = input.ownCents
                    entry.ownText = input.ownText
                    entry.feasible = input.feasible
                    entry.feasibilityReason = input.reason
                    entry.contactName = input.contactName
                    entry.contactEmail = input.contactEmail
                    entry.updatedAt = now
                    try await entry.save(on: db)
                    try await req.audit(.priorityEntrySave, subject(ranking), after: ["entry": String(entry.number), "title": PersonalData.masked(entry.title),
                                                                                     "cost": Money.format(entry.costCents), "own": Money.format(entry.ownCents),
                                                                                     "feasible": entry.feasible.map { $0 ? "ja" : "nee" } ?? "–"], on: db)
                    return entry
                }
            } catch let error as any DatabaseError where error.isConstraintFailure && attempt < 4 {
                continue // the same area's priority (or another's number) was saved at the same moment: save again as a change
            }
        }
        throw AppError(status: .serviceUnavailable, key: "error.503")
    }

    /// Scores on the judged criteria (`score_<position>`, blank: not scored yet) with a note each.
    static func readScores(_ v: [String: String], criteria: [PriorityCriterion]) -> Result<[(PriorityCriterion, Int?, String)], ValidationFailure> {
        var errors: [FieldError] = []
        var out: [(PriorityCriterion, Int?, String)] = []
        for c in criteria where c.fullAtPercent == nil {
            let raw = (v["score_\(c.position)"] ?? "").trimmingCharacters(in: .whitespaces)
            var score: Int? = nil
            if !raw.isEmpty {
                if let n = Int(raw), (0...c.maxScore).contains(n) { score = n } else { errors.append(FieldError("score_\(c.position)", "priorities.numberRange", ["0", String(c.maxScore)])) }
            }
            let note = Input.text(v["toelichting_\(c.position)"], field: "toelichting_\(c.position)", max: 1000, required: false).collect(into: &errors)
            out.append((c, score, note ?? ""))
        }
        return errors.isEmpty ? .success(out) : .failure(ValidationFailure(errors))
    }

    static func saveScores(_ scores: [(PriorityCriterion, Int?, String)], entry: PriorityEntry, ranking: PriorityRanking, user: User?, req: Request) async throws {
        guard ranking.adoptedAt == nil else { throw adopted() }
        let now = req.application.clock()
        try await req.db.writeTransaction { db in
            try await stillOpen(ranking, on: db)
            let entryID = try entry.requireID()
            try await PriorityScore.query(on: db).filter(\.$entry.$id == entryID).filter(\.$criterion.$id ~~ scores.compactMap { $0.0.id }).delete()
            for (criterion, score, note) in scores {
                guard let score else { continue }
                let row = PriorityScore()
                row.$entry.id = entryID
                row.$criterion.id = try criterion.requireID()
                row.score = score
                row.note = note
                row.scoredAt = now
                row.scoredBy = user?.id
                try await row.create(on: db)
            }
            try await req.audit(.priorityScoresSave, subject(ranking), after: ["entry": String(entry.number),
                                                                              "scores": scores.map { "\($0.0.name): \($0.1.map(String.init) ?? "–")" }.joined(separator: ", ")], on: db)
        }
    }

    // MARK: The ranking

    struct Evaluation {
        var criteria: [PriorityCriterion]
        var entries: [PriorityEntry]
        /// The given scores per entry.
        var scores: [UUID: [PriorityScore]]
        var result: WeightedRanking.Result
        func entry(_ number: Int) -> PriorityEntry? { entries.first { $0.number == number } }
        func criterion(_ key: String) -> PriorityCriterion? { criteria.first { $0.id?.uuidString == key } }
        func score(_ entry: PriorityEntry, _ criterion: PriorityCriterion) -> PriorityScore? {
            entry.id.flatMap { scores[$0] }?.first { $0.$criterion.id == criterion.id }
        }
    }

    static func evaluate(_ ranking: PriorityRanking, areas: [MunicipalitySnapshot.AreaInfo], on db: any Database) async throws -> Evaluation {
        let id = try ranking.requireID()
        let criteria = try await PriorityCriterion.query(on: db).filter(\.$ranking.$id == id).sort(\.$position).all()
        let entries = try await PriorityEntry.query(on: db).filter(\.$ranking.$id == id).sort(\.$number).all()
        let scores = Dictionary(grouping: try await PriorityScore.query(on: db).filter(\.$entry.$id ~~ entries.compactMap(\.id)).all(), by: { $0.$entry.id })
        let kinds = Dictionary(uniqueKeysWithValues: areas.map { ($0.id, $0.kind) })
        let ruleEntries = entries.map { e in
            WeightedRanking.Entry(number: e.number, areaKind: kinds[e.$area.id] ?? .neighbourhood, costCents: e.costCents, ownContributionCents: e.ownCents,
                                  feasible: e.feasible == true,
                                  scores: Dictionary((e.id.flatMap { scores[$0] } ?? []).map { ($0.$criterion.id.uuidString, $0.score) }, uniquingKeysWith: { a, _ in a }))
        }
        let perKind = Dictionary(grouping: areas, by: \.kind).mapValues(\.count)
        let result = WeightedRanking.rank(criteria: criteria.map(\.rule), entries: ruleEntries, budgetCents: ranking.creditCents, areasPerKind: perKind)
        return Evaluation(criteria: criteria, entries: entries, scores: scores, result: result)
    }

    /// Adopting the ranking (all or nothing): the weighing is closed, and every funded priority gets a budget of
    /// its own in its area's ledger (allocated from the framework credit) and becomes a granted initiative with
    /// that money committed; its contact gets the initiative's own link. Every contact is then erased from the
    /// weighing.
    static func adopt(_ ranking: PriorityRanking, snapshot s: MunicipalitySnapshot, user: User?, req: Request) async throws {
        let now = req.application.clock()
        let l = req.application.localizer
        for attempt in 1...3 {
            do {
                try await req.db.writeTransaction { db in
                    guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
                    let claimed = try await sql.raw("""
                        UPDATE priority_rankings SET adopted_at = \(bind: now), adopted_by = \(bind: user?.id), updated_at = \(bind: now)
                        WHERE id = \(bind: ranking.requireID()) AND adopted_at IS NULL RETURNING id
                        """).all()
                    guard claimed.count == 1 else { throw adopted() }
                    ranking.adoptedAt = now
                    ranking.adoptedBy = user?.id
                    let evaluation = try await evaluate(ranking, areas: s.areas, on: db)
                    var keys: [(Initiative, String)] = []
                    for line in evaluation.result.lines where line.outcome == .funded {
                        guard let entry = evaluation.entry(line.number), let area = s.areas.first(where: { $0.id == entry.$area.id }) else { continue }
                        let budgetName = String(l.text("priorities.budgetName", .nl, [String(ranking.number), ranking.title]).prefix(80))
                        let budget = try await BudgetService.create(BudgetSetup(areaID: area.id, year: ranking.year, kind: .other, name: budgetName, decider: .coordinator,
                                                                                mandateLimitCents: entry.costCents, departmentID: nil, initialCents: entry.costCents),
                                                                    municipality: s.id, reference: l.text("priorities.ledgerAllocation", .nl, [ranking.title, String(line.rank ?? 0)]),
                                                                    user: user, req: req, on: db)
                        let key = TrackingCode.secret()
                        let project = InitiativeService.DecidedProject(areaID: area.id, title: entry.title, summary: entry.summary, place: area.name,
                                                                       period: l.text("priorities.initiativePeriod", .nl, [ranking.title]), theme: InitiativeTheme.other.rawValue,
                                                                       ownContribution: entry.ownText, contactName: entry.contactName, contactEmail: entry.contactEmail)
                        let initiative = try await InitiativeService.createGranted(project, municipality: s.id, cents: entry.costCents, budget: budget.requireID(),
                                                                                   decision: l.text("priorities.decisionText", .nl, [ranking.title, String(line.rank ?? 0),
                                                                                                                                   PriorityRankingPages.decimal(tenths: WeightedRanking.tenths(line.total), dutch: true),
                                                                                                                                   String(evaluation.result.maximumTotal)]),
                                                                                   reference: l.text("priorities.ledgerReference", .nl, [ranking.title]), key: key, demo: ranking.demo,
                                                                                   user: user, at: now, req: req, on: db)
                        entry.initiativeID = initiative.id
                        try await entry.update(on: db)
                        keys.append((initiative, key))
                    }
                    // The contacts were kept only to hand a funded priority to its initiators; they now live on the
                    // initiatives, so the weighing keeps none (retention: AVG data minimisation).
                    try await PriorityEntry.query(on: db).filter(\.$ranking.$id == ranking.requireID())
                        .set(\.$contactName, to: "").set(\.$contactEmail, to: "").update()
                    try await req.audit(.priorityRankingAdopt, subject(ranking), after: ["funded": keys.map(\.0.code).joined(separator: ", "),
                                                                                        "cost": Money.format(evaluation.result.fundedCents)], on: db)
                    for (initiative, key) in keys where !initiative.contactEmail.isEmpty { try await InitiativeMailer.ownLink(initiative, key: key, req: req, on: db) }
                }
                return
            } catch let error as any DatabaseError where error.isConstraintFailure && attempt < 3 {
                ranking.adoptedAt = nil
                ranking.adoptedBy = nil
                continue // an initiative was numbered at the same moment
            }
        }
    }

    // MARK: Parts

    static func adopted() -> ValidationFailure { ValidationFailure([FieldError("formulier", "priorities.adopted")], status: .conflict) }

    /// Inside a write: the weighing was not adopted in the meantime.
    /// A conditional UPDATE, so that on PostgreSQL it also waits for (and then sees) an adoption in progress.
    private static func stillOpen(_ ranking: PriorityRanking, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let rows = try await sql.raw("""
            UPDATE priority_rankings SET updated_at = updated_at WHERE id = \(bind: ranking.requireID()) AND adopted_at IS NULL RETURNING id
            """).all()
        guard rows.count == 1 else { throw adopted() }
    }

    static func subject(_ r: PriorityRanking) -> AuditLog.Subject {
        .init(id: r.id?.uuidString, summary: "\(r.number): \(r.title)", municipalityID: r.$municipality.id)
    }
}

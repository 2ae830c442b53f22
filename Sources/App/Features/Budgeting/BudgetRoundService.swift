import Vapor
import Fluent
import SQLKit
import Domain

/// Every change to a buurtbegroting round: one place with the rules, called by thin controllers. Each step is one
/// transaction; a ballot and the use of its code are one transaction, so a code counts once also when two
/// submissions with it arrive at the same moment.
enum BudgetRoundService {
    struct Settings: Sendable {
        var title: String
        var text: String
        var budgetID: UUID
        var amountCents: Int
        var schedule: RoundSchedule
        var ballotRule: BallotRule
        var decidedBy: AllocationRule
        var showCounts: Bool
        var minimumAge: Int
    }

    static let decidingRules: [AllocationRule] = [.greedy, .equalSharesAdd1Greedy]

    // MARK: Reading forms

    /// A whole number typed in a field (e.g. a minimum age), or nil after adding the field's problem.
    static func whole(_ raw: String?, field: String, range: ClosedRange<Int>, errors: inout [FieldError]) -> Int? {
        let text = (raw ?? "").trimmingCharacters(in: .whitespaces)
        guard let value = Int(text), text.count <= 9, range.contains(value) else {
            errors.append(FieldError(field, "budgetRound.wholeNumber", [String(range.lowerBound), String(range.upperBound)]))
            return nil
        }
        return value
    }

    /// Money in whole euros (as cents): a round's amount and its projects' costs.
    static func euros(_ raw: String?, field: String, errors: inout [FieldError]) -> Int? {
        guard let cents = Input.cents(raw, field: field, positive: true, errors: &errors) else { return nil }
        guard cents % 100 == 0 else { errors.append(FieldError(field, "budgetRound.wholeEuros")); return nil }
        return cents
    }

    static func readSettings(_ v: [String: String], budgets: [AreaBudget]) -> Result<Settings, ValidationFailure> {
        var errors: [FieldError] = []
        let title = Input.text(v["titel"], field: "titel", max: 120).collect(into: &errors)
        let text = Input.text(v["tekst"], field: "tekst", max: 4000).collect(into: &errors)
        let budget = budgets.first { $0.id?.uuidString == v["budget"] }
        if budget == nil { errors.append(FieldError("budget", "budgetRound.budgetMissing")) }
        let amount = euros(v["bedrag"], field: "bedrag", errors: &errors)
        var days: [String: Date] = [:]
        for field in ["ideeen_van", "ideeen_tot", "haalbaarheid_tot", "stemmen_van", "stemmen_tot"] {
            if let day = Input.day(v[field], field: field, errors: &errors) { days[field] = day }
            else if !errors.contains(where: { $0.field == field }) { errors.append(FieldError(field, "budgetRound.dayMissing")) }
        }
        var schedule: RoundSchedule?
        if days.count == 5 {
            let s = RoundSchedule(ideasFrom: days["ideeen_van"]!, ideasUntil: days["ideeen_tot"]!, feasibilityUntil: days["haalbaarheid_tot"]!,
                                  votingFrom: days["stemmen_van"]!, votingUntil: days["stemmen_tot"]!)
            errors += s.problems.map { FieldError($0.field, "budgetRound.schedule.\($0.problem.rawValue)") }
            schedule = s
        }
        var rule: BallotRule?
        switch v["stemregel"] {
        case "budget":
            let percent = (v["minimum_procent"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty ? 0
                : whole(v["minimum_procent"], field: "minimum_procent", range: 0...100, errors: &errors)
            if let percent, let amount { rule = .budget(limit: amount / 100, minimumPercent: percent) }
        case "count":
            let minimum = whole(v["minimum_projecten"], field: "minimum_projecten", range: 1...100, errors: &errors)
            let maximum = whole(v["maximum_projecten"], field: "maximum_projecten", range: 1...100, errors: &errors)
            if let minimum, let maximum {
                rule = .count(minimum: minimum, maximum: maximum)
                if maximum < minimum { errors.append(FieldError("maximum_projecten", "budgetRound.rule.minimumAboveMaximum")) }
            }
        default:
            errors.append(FieldError("stemregel", "budgetRound.ruleMissing"))
        }
        let decidedBy = AllocationRule(rawValue: v["beslisregel"] ?? "").flatMap { decidingRules.contains($0) ? $0 : nil }
        if decidedBy == nil { errors.append(FieldError("beslisregel", "budgetRound.decidingRuleMissing")) }
        let age = whole(v["minimumleeftijd"], field: "minimumleeftijd", range: 0...120, errors: &errors)
        if let budget, let amount, budget.availableCents < amount, !errors.contains(where: { $0.field == "bedrag" }) {
            errors.append(FieldError("bedrag", "budgetRound.budgetTooSmall", [Money.format(budget.availableCents)]))
        }
        guard errors.isEmpty, let title, let text, let budget, let amount, let schedule, let rule, let decidedBy, let age else {
            return .failure(ValidationFailure(errors))
        }
        return .success(Settings(title: title, text: text, budgetID: budget.id!, amountCents: amount, schedule: schedule, ballotRule: rule,
                                 decidedBy: decidedBy, showCounts: v["tussenstand"] == "ja", minimumAge: age))
    }

    static func apply(_ s: Settings, to round: BudgetRound) {
        round.title = s.title
        round.text = s.text
        round.$budget.id = s.budgetID
        round.amountCents = s.amountCents
        round.ideasFrom = s.schedule.ideasFrom
        round.ideasUntil = s.schedule.ideasUntil
        round.feasibilityUntil = s.schedule.feasibilityUntil
        round.votingFrom = s.schedule.votingFrom
        round.votingUntil = s.schedule.votingUntil
        switch s.ballotRule {
        case .budget(_, let percent):
            round.ruleKind = "budget"
            round.minimumPercent = percent
        case .count(let minimum, let maximum):
            round.ruleKind = "count"
            round.minimumProjects = minimum
            round.maximumProjects = maximum
        }
        round.decidedBy = s.decidedBy.rawValue
        round.showCounts = s.showCounts
        round.minimumAge = s.minimumAge
    }

    static func subject(_ r: BudgetRound) -> AuditLog.Subject {
        .init(id: r.id?.uuidString, summary: "\(r.number): \(r.title)", municipalityID: r.$municipality.id)
    }

    static func state(_ r: BudgetRound) -> [String: String] {
        ["title": r.title, "amount": Money.format(r.amountCents), "rule": r.ruleKind, "minimumPercent": String(r.minimumPercent),
         "projects": "\(r.minimumProjects)–\(r.maximumProjects)", "decidedBy": r.decidedBy, "showCounts": String(r.showCounts), "minimumAge": String(r.minimumAge),
         "schedule": [r.ideasFrom, r.ideasUntil, r.feasibilityUntil, r.votingFrom, r.votingUntil].map(Format.isoDay).joined(separator: " ")]
    }

    // MARK: Setting up

    /// A new round; with `cheques` (the value of one cheque) a cheque round.
    static func create(_ s: Settings, cheques: Int? = nil, municipalityID: UUID, areaID: UUID, req: Request) async throws -> BudgetRound {
        try await createAll([(areaID, s)], cheques: cheques, municipalityID: municipalityID, seriesTitle: nil, req: req)[0]
    }

    /// A round for the whole municipality with one pot per area: one round per area, created together (all or
    /// nothing), each with its own budget and amount and the same dates and rules; they form a series named after
    /// the number of its first round.
    static func createSeries(_ rounds: [(area: UUID, settings: Settings)], title: String, municipalityID: UUID, req: Request) async throws -> [BudgetRound] {
        try await createAll(rounds, cheques: nil, municipalityID: municipalityID, seriesTitle: title, req: req)
    }

    private static func createAll(_ specs: [(area: UUID, settings: Settings)], cheques: Int?, municipalityID: UUID, seriesTitle: String?, req: Request) async throws -> [BudgetRound] {
        let now = req.application.clock()
        for attempt in 1...4 {
            let rounds = specs.map { spec -> BudgetRound in
                let round = BudgetRound()
                round.$municipality.id = municipalityID
                round.$area.id = spec.area
                round.minimumPercent = 0
                round.minimumProjects = 1
                round.maximumProjects = 1
                apply(spec.settings, to: round)
                round.demo = false
                round.kind = cheques == nil ? "vote" : "cheques"
                round.chequeCents = cheques ?? 0
                round.seriesTitle = seriesTitle
                round.createdAt = now
                round.updatedAt = now
                round.version = 1
                return round
            }
            do {
                try await req.db.writeTransaction { db in
                    let first = (try await BudgetRound.query(on: db).filter(\.$municipality.$id == municipalityID).max(\.$number) ?? 0) + 1
                    for (i, round) in rounds.enumerated() {
                        round.number = first + i
                        round.series = seriesTitle == nil ? nil : first
                        try await round.create(on: db)
                        try await req.audit(.budgetRoundCreate, subject(round), after: state(round), on: db)
                    }
                }
                return rounds
            } catch let error as any DatabaseError where error.isConstraintFailure && attempt < 4 {
                continue // another round was numbered at the same moment
            }
        }
        throw AppError(status: .serviceUnavailable, key: "error.503")
    }

    /// Reads a series' form: the shared settings, and per area (`budget_<slug>`, `bedrag_<slug>`) the budget its pot
    /// comes from and the amount; areas without a budget chosen take no part. Each area's pot is checked against
    /// its own budget.
    static func readSeries(_ v: [String: String], areas: [MunicipalitySnapshot.AreaInfo], budgets: [AreaBudget]) -> Result<(String, [(area: UUID, settings: Settings)]), ValidationFailure> {
        var errors: [FieldError] = []
        let title = Input.text(v["titel"], field: "titel", max: 100).collect(into: &errors)
        var specs: [(area: UUID, settings: Settings)] = []
        var shared: [FieldError] = []
        for area in areas where (v["budget_\(area.slug)"] ?? "").isEmpty && !(v["bedrag_\(area.slug)"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            errors.append(FieldError("budget_\(area.slug)", "budgetRound.series.amountWithoutBudget"))
        }
        let taking = areas.filter { !(v["budget_\($0.slug)"] ?? "").isEmpty }
        if taking.isEmpty && errors.isEmpty { errors.append(FieldError("budget_\(areas.first?.slug ?? "")", "budgetRound.series.noArea")) }
        for area in taking {
            var values = v
            values["budget"] = v["budget_\(area.slug)"]
            values["bedrag"] = v["bedrag_\(area.slug)"]
            values["titel"] = "\(title ?? "x") – \(area.name)"
            switch readSettings(values, budgets: budgets.filter { $0.$area.id == area.id }) {
            case .success(let settings): specs.append((area.id, settings))
            case .failure(let failure):
                for e in failure.errors {
                    if e.field == "budget" || e.field == "bedrag" { errors.append(FieldError("\(e.field)_\(area.slug)", e.key, e.values)) }
                    else if e.field != "titel" && !shared.contains(e) { shared.append(e) }
                }
            }
        }
        errors += shared
        guard errors.isEmpty, let title else { return .failure(ValidationFailure(errors)) }
        return .success((title, specs))
    }

    /// New settings. Once the first ballot is in, the ballot rule, the money and the deciding rule stay as they
    /// were (voters chose under them); the texts and dates can still change.
    static func update(_ round: BudgetRound, _ s: Settings, expectedVersion: Int, req: Request) async throws {
        guard round.closedAt == nil else { throw ValidationFailure([FieldError("formulier", "budgetRound.closed")], status: .conflict) }
        let before = state(round)
        try await req.db.writeTransaction { db in
            let ballots = try await BudgetRoundBallot.query(on: db).filter(\.$round.$id == round.requireID()).count()
            let locked = { (r: BudgetRound) in [r.ruleKind, String(r.minimumPercent), String(r.minimumProjects), String(r.maximumProjects), String(r.amountCents), r.decidedBy, r.$budget.id.uuidString] }
            let previous = locked(round)
            apply(s, to: round)
            if ballots > 0, previous != locked(round) {
                throw ValidationFailure([FieldError("stemregel", "budgetRound.ruleLocked")], status: .conflict)
            }
            try await claim(round, expectedVersion: expectedVersion, on: db)
            try await req.audit(.budgetRoundSettings, subject(round), before: before, after: state(round), on: db)
        }
    }

    /// Takes the round for a change: refused when someone else changed it since the form was shown.
    static func claim(_ round: BudgetRound, expectedVersion: Int, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let rows = try await sql.raw("""
            UPDATE budget_rounds SET version = version + 1, updated_at = \(bind: Date()) WHERE id = \(bind: round.requireID()) AND version = \(bind: expectedVersion) RETURNING id
            """).all()
        guard rows.count == 1 else { throw ValidationFailure([FieldError("formulier", "budgetRound.conflict")], status: .conflict) }
        round.version = expectedVersion + 1
        try await round.update(on: db)
    }

    // MARK: Ideas and feasibility

    /// A resident's idea for the round: posted as an idea of the area (with its supports and answer) and taken
    /// into the round as a project, in one transaction.
    static func submitIdea(_ posting: IdeaService.Posting, round: BudgetRound, req: Request) async throws -> Idea {
        guard round.phase(at: req.application.clock()) == .ideas else { throw ValidationFailure([FieldError("titel", "budgetRound.notIdeasPhase")], status: .conflict) }
        guard posting.areaID == round.$area.id else { throw ValidationFailure([FieldError("gebied", "budgetRound.ideaOtherArea")]) }
        let roundID = try round.requireID()
        let now = req.application.clock()
        return try await IdeaService.post(posting, municipalityID: round.$municipality.id, also: { idea, db in
            try await addProject(round: roundID, title: idea.title, summary: idea.text, idea: idea.id, at: now, on: db)
        }, req: req)
    }

    static func addProject(round: UUID, title: String, summary: String, idea: UUID?, at now: Date, on db: any Database) async throws {
        let project = BudgetRoundProject()
        project.$round.id = round
        project.number = (try await BudgetRoundProject.query(on: db).filter(\.$round.$id == round).max(\.$number) ?? 0) + 1
        project.ideaID = idea
        project.title = title
        project.summary = summary
        project.createdAt = now
        try await project.create(on: db)
    }

    /// A department's assessment: the cost and whether it can be done, with a reason that is published. Possible
    /// until voting starts; a project without a reason is refused.
    static func assess(_ project: BudgetRoundProject, round: BudgetRound, values v: [String: String], user: User?, req: Request) async throws {
        guard [.ideas, .feasibility, .announced].contains(round.phase(at: req.application.clock())) else {
            throw ValidationFailure([FieldError("haalbaar", "budgetRound.assessmentClosed")], status: .conflict)
        }
        var errors: [FieldError] = []
        let feasible: Bool? = v["haalbaar"] == "ja" ? true : (v["haalbaar"] == "nee" ? false : nil)
        if feasible == nil { errors.append(FieldError("haalbaar", "budgetRound.feasibleMissing")) }
        let reason = Input.text(v["reden"], field: "reden", max: 2000).collect(into: &errors)
        var cost: Int? = nil
        if feasible == true {
            cost = euros(v["kosten"], field: "kosten", errors: &errors)
            if let c = cost, c > round.amountCents { errors.append(FieldError("kosten", "budgetRound.costAboveRound", [Money.format(round.amountCents)])) }
        }
        guard errors.isEmpty, let feasible, let reason else { throw ValidationFailure(errors) }
        let assessedCost = cost
        let before = ["feasible": project.feasible.map(String.init) ?? "–", "cost": project.costCents.map { Money.format($0) } ?? "–"]
        project.feasible = feasible
        project.costCents = assessedCost
        project.feasibilityReason = reason
        project.assessedAt = req.application.clock()
        project.assessedBy = user?.id
        try await req.db.writeTransaction { db in
            try await project.update(on: db)
            try await req.audit(.budgetRoundAssess, .init(id: project.id?.uuidString, summary: "\(round.number)/\(project.number): \(project.title)", municipalityID: round.$municipality.id),
                                before: before, after: ["feasible": String(feasible), "cost": assessedCost.map { Money.format($0) } ?? "–", "reason": reason], on: db)
        }
    }

    // MARK: Voting codes

    static let maximumBatch = 50_000

    /// Issues a batch of codes (one per resident or household of the mailing). The codes stay readable for the
    /// letters and the mailing house's file until the batch is marked as sent.
    static func issueCodes(_ round: BudgetRound, count: Int, user: User?, req: Request) async throws -> BudgetRoundCodeBatch {
        guard round.phase(at: req.application.clock()) != .execution, round.phase(at: req.application.clock()) != .result else {
            throw ValidationFailure([FieldError("aantal", "budgetRound.codesClosed")], status: .conflict)
        }
        let roundID = try round.requireID()
        if round.isCheques {
            // Cheques never promise more money than the round has.
            let issued = try await BudgetRoundCodeBatch.query(on: req.db).filter(\.$round.$id == roundID).sum(\.$count) ?? 0
            if (issued + count) * round.chequeCents > round.amountCents {
                throw ValidationFailure([FieldError("aantal", "cheques.tooMany", [String(max(0, round.amountCents / max(round.chequeCents, 1) - issued))])])
            }
        }
        let now = req.application.clock()
        var random = SystemRandomNumberGenerator()
        let codes = (0..<count).map { _ in VotingCode.generate(using: &random) }
        let batch = BudgetRoundCodeBatch()
        batch.$round.id = roundID
        batch.count = count
        batch.createdAt = now
        batch.createdBy = user?.id
        try await req.db.writeTransaction { db in
            batch.number = (try await BudgetRoundCodeBatch.query(on: db).filter(\.$round.$id == roundID).max(\.$number) ?? 0) + 1
            try await batch.create(on: db)
            try await insertCodes(codes, batch: batch.requireID(), round: roundID, on: db)
            try await req.audit(.budgetRoundCodes, subject(round), after: ["batch": String(batch.number), "count": String(count)], on: db)
        }
        return batch
    }

    /// Stores codes of a batch, readable and by hash, 500 rows per statement.
    static func insertCodes(_ codes: [String], batch: UUID, round: UUID, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        var position = 0
        while position < codes.count {
            let size = min(500, codes.count - position)
            let rows: [SQLExpression] = (0..<size).map { i in
                let code = codes[position + i]
                return SQLGroupExpression([SQLBind(UUID()), SQLBind(round), SQLBind(batch), SQLBind(position + i + 1), SQLBind(hash(VotingCode.normalise(code)!, round: round)), SQLBind(code)])
            }
            try await sql.raw("INSERT INTO budget_round_codes (id, round_id, batch_id, position, code_hash, plain) VALUES \(SQLList(rows))").run()
            position += size
        }
    }

    /// What is kept to recognise a code (purpose `code`) or, with another purpose, what a ballot keeps (`ballot`).
    static func hash(_ normalised: String, round: UUID, purpose: String = "code") -> String {
        sha256Hex(VotingCode.key(normalised, round: round, purpose: purpose))
    }

    /// Uses a code in the caller's transaction: a conditional update, so of two uses at the same moment one wins.
    /// The other, and an unknown code, are refused with `<keys>.codeUsed` (409) or `<keys>.codeUnknown` (422).
    static func useCode(_ codeHash: String, round: UUID, on day: Date, keys: String, db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let used = try await sql.raw("""
            UPDATE budget_round_codes SET used_on = \(bind: day) WHERE code_hash = \(bind: codeHash) AND round_id = \(bind: round) AND used_on IS NULL RETURNING id
            """).all()
        guard used.count == 1 else {
            let exists = try await BudgetRoundCode.query(on: db).filter(\.$codeHash == codeHash).count() > 0
            throw ValidationFailure([FieldError("code", exists ? "\(keys).codeUsed" : "\(keys).codeUnknown")], status: exists ? .conflict : .unprocessableEntity)
        }
    }

    /// The batch went to the printer: its codes are no longer kept readable, only their hashes.
    static func markSent(_ batch: BudgetRoundCodeBatch, round: BudgetRound, req: Request) async throws {
        guard batch.sentAt == nil else { return }
        try await req.db.writeTransaction { db in
            batch.sentAt = req.application.clock()
            try await batch.update(on: db)
            try await BudgetRoundCode.query(on: db).filter(\.$batch.$id == batch.requireID()).set(\.$plain, to: nil).update()
            try await req.audit(.budgetRoundCodesSent, subject(round), after: ["batch": String(batch.number)], on: db)
        }
    }

    // MARK: Ballots

    enum Channel: String { case online, paper }

    /// Casts a ballot with a code: checked against the round's rule and phase, then the code is used and the
    /// ballot stored in one transaction. The code's use is a conditional update (`… WHERE used_on IS NULL`), so of
    /// two submissions with one code exactly one counts; the other gets "this code was used".
    static func cast(_ round: BudgetRound, code typed: String, projects numbers: [Int], channel: Channel, declared: Bool, user: User?, req: Request) async throws {
        let now = req.application.clock()
        let phase = round.phase(at: now)
        guard phase == .voting || (channel == .paper && phase == .result) else {
            throw ValidationFailure([FieldError("code", phase == .result || phase == .execution ? "budgetRound.votingClosed" : "budgetRound.votingNotOpen")], status: .conflict)
        }
        var errors: [FieldError] = []
        let code = VotingCode.normalise(typed)
        if code == nil { errors.append(FieldError("code", (typed.trimmingCharacters(in: .whitespaces).isEmpty ? "budgetRound.codeMissing" : "budgetRound.codeUnknown"))) }
        let roundID = try round.requireID()
        let onBallot = try await BudgetRoundProject.query(on: req.db).filter(\.$round.$id == roundID).all().filter(\.onBallot)
        let chosen = Set(numbers)
        let projects = onBallot.filter { chosen.contains($0.number) }
        if projects.count != chosen.count { errors.append(FieldError("projecten", "budgetRound.unknownProject")) }
        for problem in round.ballotRule.problems(costs: projects.map { $0.costCents! / 100 }) {
            errors.append(ballotError(problem, req: req))
        }
        if channel == .online && !declared { errors.append(FieldError("verklaring", "budgetRound.declarationMissing")) }
        guard errors.isEmpty, let code else { throw ValidationFailure(errors) }
        let codeHash = hash(code, round: roundID)
        let receipt = hash(code, round: roundID, purpose: "ballot")
        let day = DutchTime.calendar.startOfDay(for: now)
        try await req.db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
            try await useCode(codeHash, round: roundID, on: day, keys: "budgetRound", db: db)
            let ballot = BudgetRoundBallot()
            ballot.$round.id = roundID
            ballot.receiptHash = receipt
            ballot.channel = channel.rawValue
            try await ballot.create(on: db)
            let rows: [SQLExpression] = projects.map { SQLGroupExpression([SQLBind(UUID()), SQLBind(ballot.id!), SQLBind(roundID), SQLBind($0.number)]) }
            try await sql.raw("INSERT INTO budget_round_choices (id, ballot_id, round_id, project_number) VALUES \(SQLList(rows))").run()
            if channel == .paper {
                // Who entered paper ballots, and how many: never which ballot.
                try await req.audit(.budgetRoundPaperBallot, subject(round), after: ["channel": "paper"], on: db)
            }
        }
        await BudgetRoundResults.forget(roundID, on: req.application)
    }

    static func ballotError(_ problem: BallotRule.Problem, req: Request) -> FieldError {
        switch problem {
        case .empty: return FieldError("projecten", "budgetRound.ballot.empty")
        case .overBudget(let by): return FieldError("projecten", "budgetRound.ballot.overBudget", [Money.format(by * 100, dutch: req.language == .nl)])
        case .belowMinimum(let short): return FieldError("projecten", "budgetRound.ballot.belowMinimum", [Money.format(short * 100, dutch: req.language == .nl)])
        case .tooFew(let minimum): return FieldError("projecten", "budgetRound.ballot.tooFew", [String(minimum)])
        case .tooMany(let maximum): return FieldError("projecten", "budgetRound.ballot.tooMany", [String(maximum)])
        }
    }

    /// The projects a code's ballot chose (for "which of the projects you supported won"); nil for a code that
    /// did not vote.
    static func choices(of typed: String, round: BudgetRound, on db: any Database) async throws -> [Int]? {
        guard let code = VotingCode.normalise(typed) else { return nil }
        let receipt = hash(code, round: try round.requireID(), purpose: "ballot")
        guard let ballot = try await BudgetRoundBallot.query(on: db).filter(\.$receiptHash == receipt).filter(\.$round.$id == round.requireID()).first() else { return nil }
        return try await BudgetRoundChoice.query(on: db).filter(\.$ballot.$id == ballot.requireID()).all().map(\.projectNumber).sorted()
    }

    // MARK: Closing

    /// Closes a round after voting: the deciding rule's winners become granted initiatives, each committing its
    /// cost in the round's budget (the ledger refuses what the budget no longer has), led by the resident whose
    /// idea it was. All or nothing.
    static func close(_ round: BudgetRound, expectedVersion: Int, user: User?, req: Request) async throws {
        let now = req.application.clock()
        guard round.phase(at: now) == .result else { throw ValidationFailure([FieldError("formulier", "budgetRound.notResultPhase")], status: .conflict) }
        guard let results = try await BudgetRoundResults.ifReady(round, on: req) else {
            throw ValidationFailure([FieldError("formulier", "budgetRound.results.computingRetry")], status: .conflict)
        }
        let decisive = results.decisive
        let projects = try await BudgetRoundProject.query(on: req.db).filter(\.$round.$id == round.requireID()).all()
        let byNumber = Dictionary(uniqueKeysWithValues: projects.map { (String($0.number), $0) })
        let ideas = try await Idea.query(on: req.db).filter(\.$id ~~ projects.compactMap(\.ideaID)).all()
        let area = try await Area.find(round.$area.id, on: req.db)
        for attempt in 1...3 {
            do {
                try await req.db.writeTransaction { db in
                    var keys: [(Initiative, String)] = []
                    try await claim(round, expectedVersion: expectedVersion, on: db)
                    round.closedAt = now
                    try await round.update(on: db)
                    for (position, id) in decisive.selected.enumerated() {
                        guard let project = byNumber[id] else { continue }
                        let idea = ideas.first { $0.id == project.ideaID }
                        let key = TrackingCode.secret()
                        let initiative = try await winner(project, round: round, idea: idea, areaName: area?.name ?? "", key: key, user: user, at: now, req: req, on: db)
                        project.initiativeID = initiative.id
                        project.selectedPosition = position + 1
                        try await project.update(on: db)
                        if let idea, idea.status == .open { try await IdeaService.link(idea, to: initiative, req: req, on: db) }
                        keys.append((initiative, key))
                    }
                    try await req.audit(.budgetRoundClose, subject(round), after: ["selected": decisive.selected.joined(separator: ","), "rule": decisive.rule.rawValue,
                                                                                 "cost": Money.format(decisive.cost * 100)], on: db)
                    for (initiative, key) in keys where !initiative.contactEmail.isEmpty { try await InitiativeMailer.ownLink(initiative, key: key, req: req, on: db) }
                }
                await BudgetRoundResults.forget(try round.requireID(), on: req.application)
                return
            } catch let error as any DatabaseError where error.isConstraintFailure && attempt < 3 {
                round.closedAt = nil
                round.version = expectedVersion
                continue // an initiative was numbered at the same moment
            }
        }
    }

    private static func winner(_ project: BudgetRoundProject, round: BudgetRound, idea: Idea?, areaName: String, key: String, user: User?, at now: Date,
                               req: Request, on db: any Database) async throws -> Initiative {
        let l = req.application.localizer
        let decided = InitiativeService.DecidedProject(areaID: round.$area.id, title: project.title, summary: project.summary, place: areaName,
                                                       period: l.text("budgetRound.initiativePeriod", .nl, [round.title]),
                                                       theme: idea.map(\.theme) ?? InitiativeTheme.other.rawValue,
                                                       contactName: idea?.posterName ?? user?.name ?? "", contactEmail: idea?.posterEmail ?? user?.email ?? "")
        return try await InitiativeService.createGranted(decided, municipality: round.$municipality.id, cents: project.costCents ?? 0, budget: round.$budget.id,
                                                         decision: l.text("budgetRound.decisionText", .nl, [round.title, project.feasibilityReason ?? ""]),
                                                         reference: l.text("budgetRound.ledgerReference", .nl, [round.title]), key: key, demo: round.demo,
                                                         user: user, at: now, req: req, on: db)
    }
}

import Vapor
import Fluent
import SQLKit
import Domain

/// Cheque rounds (Ede Doet): a round of kind `cheques` whose codes are cheques of a fixed value, valid from
/// `votingFrom` until `votingUntil`; its projects are initiatives of the area with an amount and a deadline.
/// Pooling a cheque is one transaction that locks the initiative's row first, so the amount is reached exactly
/// once and the initiative is funded from the area budget in that same transaction.
enum ChequeService {
    static let openStatuses: [InitiativeStatus] = [.submitted, .inReview, .waitingForInitiators, .toDecision]

    static func readSetup(_ v: [String: String], budgets: [AreaBudget]) -> Result<(BudgetRoundService.Settings, Int), ValidationFailure> {
        var errors: [FieldError] = []
        let title = Input.text(v["titel"], field: "titel", max: 120).collect(into: &errors)
        let text = Input.text(v["tekst"], field: "tekst", max: 4000).collect(into: &errors)
        let budget = budgets.first { $0.id?.uuidString == v["budget"] }
        if budget == nil { errors.append(FieldError("budget", "budgetRound.budgetMissing")) }
        let amount = BudgetRoundService.euros(v["bedrag"], field: "bedrag", errors: &errors)
        let value = Input.cents(v["chequewaarde"], field: "chequewaarde", positive: true, errors: &errors)
        let from = Input.day(v["geldig_van"], field: "geldig_van", errors: &errors)
        let until = Input.day(v["geldig_tot"], field: "geldig_tot", errors: &errors)
        for (field, day) in [("geldig_van", from), ("geldig_tot", until)] where day == nil && !errors.contains(where: { $0.field == field }) {
            errors.append(FieldError(field, "budgetRound.dayMissing"))
        }
        if let from, let until, until < from { errors.append(FieldError("geldig_tot", "cheques.untilBeforeFrom")) }
        if let value, let amount, value > amount { errors.append(FieldError("chequewaarde", "cheques.valueAboveAmount")) }
        if let budget, let amount, budget.availableCents < amount, !errors.contains(where: { $0.field == "bedrag" }) {
            errors.append(FieldError("bedrag", "budgetRound.budgetTooSmall", [Money.format(budget.availableCents)]))
        }
        guard errors.isEmpty, let title, let text, let budget, let amount, let value, let from, let until else { return .failure(ValidationFailure(errors)) }
        let before = from.addingTimeInterval(-86_400)
        // The phases of a vote, mapped on a cheque's life: "voting" is the period the cheques are valid.
        let schedule = RoundSchedule(ideasFrom: before, ideasUntil: before, feasibilityUntil: before, votingFrom: from, votingUntil: until)
        return .success((BudgetRoundService.Settings(title: title, text: text, budgetID: budget.id!, amountCents: amount, schedule: schedule,
                                                     ballotRule: .count(minimum: 1, maximum: 1), decidedBy: .greedy, showCounts: true, minimumAge: 0), value))
    }

    // MARK: Initiatives that collect cheques

    /// Opens an initiative of the area for cheques, with the amount it needs and the last day to collect them.
    static func addInitiative(_ round: BudgetRound, values v: [String: String], req: Request) async throws {
        guard round.isCheques else { throw Abort(.notFound) }
        var errors: [FieldError] = []
        let initiative = try await Initiative.query(on: req.db).filter(\.$area.$id == round.$area.id).filter(\.$code == (v["initiatief"] ?? "")).first()
        if initiative == nil || !openStatuses.contains(initiative!.status) { errors.append(FieldError("initiatief", "cheques.initiativeMissing")) }
        let target = Input.cents(v["doel"], field: "doel", positive: true, errors: &errors)
        if let target, target > round.amountCents { errors.append(FieldError("doel", "budgetRound.costAboveRound", [Money.format(round.amountCents)])) }
        let deadline = Input.day(v["deadline"], field: "deadline", errors: &errors)
        if deadline == nil, !errors.contains(where: { $0.field == "deadline" }) { errors.append(FieldError("deadline", "budgetRound.dayMissing")) }
        if let deadline, deadline < round.votingFrom || deadline > round.votingUntil {
            errors.append(FieldError("deadline", "cheques.deadlineOutside", [Format.day(round.votingFrom, req.language), Format.day(round.votingUntil, req.language)]))
        }
        if let initiative, try await BudgetRoundProject.query(on: req.db).filter(\.$round.$id == round.requireID()).filter(\.$initiativeID == initiative.id).count() > 0 {
            errors.append(FieldError("initiatief", "cheques.alreadyOpen"))
        }
        guard errors.isEmpty, let initiative, let target, let deadline else { throw ValidationFailure(errors) }
        let roundID = try round.requireID()
        let now = req.application.clock()
        try await req.db.writeTransaction { db in
            try await BudgetRoundService.addProject(round: roundID, title: initiative.title, summary: initiative.summary, idea: nil, at: now, on: db)
            guard let project = try await BudgetRoundProject.query(on: db).filter(\.$round.$id == roundID).sort(\.$number, .descending).first() else { return }
            project.initiativeID = initiative.id
            project.costCents = target
            project.feasible = true
            project.feasibilityReason = ""
            project.deadline = deadline
            try await project.update(on: db)
            try await req.audit(.budgetRoundAssess, .init(id: project.id?.uuidString, summary: "\(round.number)/\(project.number): \(initiative.code)", municipalityID: round.$municipality.id),
                                after: ["initiative": initiative.code, "target": Money.format(target), "deadline": Format.isoDay(deadline)], on: db)
        }
    }

    // MARK: Pools

    struct Pool: Sendable {
        var project: BudgetRoundProject
        var pledgedCents: Int
        var state: ChequePool.State
    }

    static func pools(_ round: BudgetRound, now: Date, on db: any Database) async throws -> [Pool] {
        let projects = try await BudgetRoundProject.query(on: db).filter(\.$round.$id == round.requireID()).sort(\.$number).all()
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        struct Row: Decodable { var project_number: Int; var n: Int }
        let rows = try await sql.raw("SELECT project_number, COUNT(*) AS n FROM cheque_pledges WHERE round_id = \(bind: round.requireID()) GROUP BY project_number").all(decoding: Row.self)
        let counts = Dictionary(uniqueKeysWithValues: rows.map { ($0.project_number, $0.n) })
        let day = DutchTime.calendar.startOfDay(for: now)
        return projects.map { p in
            let state = ChequePool.state(target: p.costCents ?? 0, pledged: (counts[p.number] ?? 0) * round.chequeCents, deadline: p.deadline ?? round.votingUntil,
                                         day: day, funded: p.fundedAt != nil)
            // Released pools hold no cheques: they went back to their owners.
            return Pool(project: p, pledgedCents: state == .released ? 0 : (counts[p.number] ?? 0) * round.chequeCents, state: state)
        }
    }

    /// Pools a cheque on an initiative. A cheque that was pooled on an initiative whose deadline passed without
    /// its amount is free again and is moved; a spent or unknown cheque is refused with the reason.
    static func pledge(_ round: BudgetRound, code typed: String, project number: Int?, req: Request) async throws {
        guard round.isCheques else { throw Abort(.notFound) }
        let now = req.application.clock()
        let day = DutchTime.calendar.startOfDay(for: now)
        var errors: [FieldError] = []
        let code = VotingCode.normalise(typed)
        if code == nil { errors.append(FieldError("code", typed.trimmingCharacters(in: .whitespaces).isEmpty ? "cheques.codeMissing" : "cheques.codeUnknown")) }
        let roundID = try round.requireID()
        var project: BudgetRoundProject? = nil
        if let number { project = try await BudgetRoundProject.query(on: req.db).filter(\.$round.$id == roundID).filter(\.$number == number).first() }
        if project == nil { errors.append(FieldError("initiatief", "cheques.chooseInitiative")) }
        guard errors.isEmpty, let code, let project else { throw ValidationFailure(errors) }
        let codeHash = BudgetRoundService.hash(code, round: roundID)
        let projectID = try project.requireID()
        let fundedInitiative: Initiative? = try await req.db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
            // The initiative's row first: pledges to one initiative are counted one after the other.
            _ = try await sql.raw("UPDATE budget_round_projects SET number = number WHERE id = \(bind: projectID)").run()
            guard let current = try await BudgetRoundProject.find(projectID, on: db) else { throw Abort(.notFound) }
            let pledged = try await ChequePledge.query(on: db).filter(\.$round.$id == roundID).filter(\.$projectNumber == current.number).count() * round.chequeCents
            let target = current.costCents ?? 0
            switch ChequePool.pledge(value: round.chequeCents, target: target, pledged: pledged, deadline: current.deadline ?? round.votingUntil,
                                     validFrom: round.votingFrom, validUntil: round.votingUntil, day: day, funded: current.fundedAt != nil) {
            case .refused(let problem):
                throw ValidationFailure([FieldError(problem == .expired ? "code" : "initiatief", "cheques.\(problem.rawValue)")], status: .conflict)
            case .accepted(let completes):
                try await release(codeHash, round: round, day: day, on: db)
                try await BudgetRoundService.useCode(codeHash, round: roundID, on: day, keys: "cheques", db: db)
                let pledge = ChequePledge()
                pledge.$round.id = roundID
                pledge.projectNumber = current.number
                pledge.codeHash = codeHash
                pledge.pledgedAt = now
                try await pledge.create(on: db)
                guard completes else { return nil }
                return try await fund(current, round: round, at: now, req: req, on: db)
            }
        }
        if let fundedInitiative { try? await InitiativeMailer.statusChanged(fundedInitiative, text: nil, req: req, on: req.db) }
    }

    /// A cheque pooled on an initiative whose deadline passed without its amount goes back to its owner.
    private static func release(_ codeHash: String, round: BudgetRound, day: Date, on db: any Database) async throws {
        guard let earlier = try await ChequePledge.query(on: db).filter(\.$codeHash == codeHash).first() else { return }
        guard let project = try await BudgetRoundProject.query(on: db).filter(\.$round.$id == round.requireID()).filter(\.$number == earlier.projectNumber).first(),
              ChequePool.state(target: project.costCents ?? 0, pledged: 0, deadline: project.deadline ?? round.votingUntil, day: day, funded: project.fundedAt != nil) == .released else { return }
        try await earlier.delete(on: db)
        try await BudgetRoundCode.query(on: db).filter(\.$codeHash == codeHash).set(\.$usedOn, to: nil).update()
    }

    /// The amount is reached: the initiative is granted its amount from the round's budget (the ledger refuses
    /// what the budget no longer has, and then the pledge is refused as a whole).
    private static func fund(_ project: BudgetRoundProject, round: BudgetRound, at now: Date, req: Request, on db: any Database) async throws -> Initiative? {
        project.fundedAt = now
        try await project.update(on: db)
        guard let initiative = try await Initiative.find(project.initiativeID, on: db), openStatuses.contains(initiative.status) else { return nil }
        do {
            try await InitiativeService.grantDecided(initiative, cents: project.costCents ?? 0, budget: round.$budget.id,
                                                     decision: req.application.localizer.text("cheques.decisionText", .nl, [round.title]),
                                                     reference: req.application.localizer.text("cheques.ledgerReference", .nl, [round.title]), user: nil, at: now, req: req, on: db)
        } catch let refused as ValidationFailure {
            throw ValidationFailure(refused.errors.map { FieldError("initiatief", $0.key, $0.values) }, status: .conflict)
        }
        return initiative
    }
}

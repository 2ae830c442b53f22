import Vapor
import Fluent
import Domain

/// What the round's pages show, built once for the public page, the ballot and the staff page: the phases with
/// their dates, the rule in plain words, the projects with their assessment, and the results with why each
/// project won or lost under both rules.
enum BudgetRoundPages {
    /// The round of the path (`/gemeenten/:municipality/buurtbegroting/:round`), or a 404.
    static func find(_ req: Request) async throws -> (MunicipalitySnapshot, BudgetRound) {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        guard let number = Int(req.parameters.get("round") ?? ""), number > 0,
              let round = try await BudgetRound.query(on: req.db).filter(\.$municipality.$id == s.id).filter(\.$number == number).first() else {
            throw AppError.notFound("budgetRound.unknown")
        }
        return (s, round)
    }

    static func link(_ s: MunicipalitySnapshot, _ round: BudgetRound, _ path: SitePath = Site.budgetRound) -> String { path.link(s.slug, String(round.number)) }

    static func money(_ req: Request, euros: Int) -> String { Money.format(euros * 100, dutch: req.language == .nl, compact: true) }

    static func money(_ req: Request, _ f: Fraction) -> String {
        let cents = Int(String((f * 100).floor)) ?? 0
        return Money.format(cents, dutch: req.language == .nl)
    }

    /// The phase's name; a cheque round's "voting" is the period its cheques are valid.
    static func phaseLabel(_ req: Request, _ round: BudgetRound, _ phase: RoundPhase) -> String {
        guard round.isCheques else { return req.t("budgetRound.phase." + phase.rawValue) }
        switch phase {
        case .announced, .ideas, .feasibility: return req.t("cheques.phase.soon")
        case .voting: return req.t("cheques.phase.valid")
        case .result, .execution: return req.t("cheques.phase.expired")
        }
    }

    struct PoolRow: Encodable {
        var number: Int; var title: String; var target: String; var pledged: String; var needed: Int; var deadline: String
        var state: String; var stateClass: String; var collecting: Bool; var initiativeHref: String?; var initiativeCode: String?
    }

    static func poolRows(_ req: Request, _ s: MunicipalitySnapshot, _ round: BudgetRound) async throws -> [PoolRow] {
        let pools = try await ChequeService.pools(round, now: req.application.clock(), on: req.db)
        let initiatives = try await Initiative.query(on: req.db).filter(\.$id ~~ pools.compactMap(\.project.initiativeID)).all()
        let dutch = req.language == .nl
        return pools.map { pool in
            let initiative = initiatives.first { $0.id == pool.project.initiativeID }
            let target = pool.project.costCents ?? 0
            return PoolRow(number: pool.project.number, title: pool.project.title, target: Money.format(target, dutch: dutch), pledged: Money.format(pool.pledgedCents, dutch: dutch),
                           needed: ChequePool.chequesNeeded(target: target, pledged: pool.pledgedCents, value: round.chequeCents),
                           deadline: Format.day(pool.project.deadline ?? round.votingUntil, req.language), state: req.t("cheques.state." + pool.state.rawValue),
                           stateClass: pool.state == .funded ? "success" : (pool.state == .released ? "inactive" : "active"), collecting: pool.state == .collecting,
                           initiativeHref: initiative.map { Site.initiative.link(s.slug, $0.code) }, initiativeCode: initiative?.code)
        }
    }

    struct PhaseRow: Encodable { var label: String; var dates: String; var current: Bool; var done: Bool }

    static func phases(_ req: Request, _ round: BudgetRound, now: Date) -> [PhaseRow] {
        let current = round.phase(at: now)
        let order: [RoundPhase] = [.ideas, .feasibility, .voting, .result, .execution]
        let day = { (d: Date) in Format.day(d, req.language) }
        let dates: [RoundPhase: String] = [
            .ideas: day(round.ideasFrom) + " – " + day(round.ideasUntil),
            .feasibility: req.t("budgetRound.until", day(round.feasibilityUntil)),
            .voting: day(round.votingFrom) + " – " + day(round.votingUntil),
            .result: req.t("budgetRound.after", day(round.votingUntil)),
            .execution: round.closedAt.map { req.t("budgetRound.since", day($0)) } ?? "",
        ]
        let at = order.firstIndex(of: current) ?? -1
        return order.enumerated().map { i, p in
            PhaseRow(label: phaseLabel(req, round, p), dates: dates[p] ?? "", current: p == current, done: i < at)
        }
    }

    /// The ballot rule in plain words.
    static func ruleText(_ req: Request, _ round: BudgetRound) -> String {
        switch round.ballotRule {
        case .budget(let limit, let percent):
            return percent > 0 ? req.t("budgetRound.rule.budgetWithMinimum", money(req, euros: limit), money(req, euros: round.ballotRule.minimumTotal))
                : req.t("budgetRound.rule.budget", money(req, euros: limit))
        case .count(let minimum, let maximum):
            return minimum == maximum ? req.t("budgetRound.rule.countExact", String(minimum)) : req.t("budgetRound.rule.count", String(minimum), String(maximum))
        }
    }

    static func decidingText(_ req: Request, _ rule: AllocationRule) -> String { req.t("budgetRound.deciding." + rule.rawValue) }

    struct ProjectRow: Encodable {
        var number: Int; var title: String; var summary: String; var ideaHref: String?; var cost: String?
        var assessment: String; var feasible: Bool?; var reason: String?; var votes: Int?
        var initiativeHref: String?; var initiativeCode: String?; var initiativeStatus: String?
    }

    static func projectRows(_ req: Request, _ s: MunicipalitySnapshot, _ projects: [BudgetRoundProject], votes: [Int: Int]?) async throws -> [ProjectRow] {
        let ideas = try await Idea.query(on: req.db).filter(\.$id ~~ projects.compactMap(\.ideaID)).all()
        let initiatives = try await Initiative.query(on: req.db).filter(\.$id ~~ projects.compactMap(\.initiativeID)).all()
        return projects.sorted { $0.number < $1.number }.map { p in
            let idea = ideas.first { $0.id == p.ideaID }
            let initiative = initiatives.first { $0.id == p.initiativeID }
            return ProjectRow(number: p.number, title: p.title, summary: p.summary, ideaHref: idea.map { Site.idea.link(s.slug, $0.code) },
                              cost: p.costCents.map { Money.format($0, dutch: req.language == .nl, compact: true) },
                              assessment: req.t(p.feasible == nil ? "budgetRound.assessment.open" : (p.feasible! ? "budgetRound.assessment.feasible" : "budgetRound.assessment.notFeasible")),
                              feasible: p.feasible, reason: p.feasibilityReason, votes: votes.map { $0[p.number] ?? 0 },
                              initiativeHref: initiative.map { Site.initiative.link(s.slug, $0.code) }, initiativeCode: initiative?.code,
                              initiativeStatus: initiative.map { req.t("initiative.status." + $0.status.rawValue) })
        }
    }

    // MARK: Results

    struct ResultRow: Encodable {
        var number: String; var title: String; var votes: Int; var cost: String
        var greedyWon: Bool; var greedyWhy: String; var sharesWon: Bool; var sharesWhy: String; var won: Bool
    }

    struct ResultsView: Encodable {
        var ballots: Int; var online: Int; var paper: Int
        var deciding: String; var other: String; var decidingIsGreedy: Bool
        var greedyCost: String; var sharesCost: String; var perVoter: String; var start: String
        var rows: [ResultRow]; var differ: Bool
    }

    static func why(_ req: Request, _ reason: Allocation.Reason, cost: Int) -> String {
        switch reason {
        case .fitted(let remaining): return req.t("budgetRound.why.fitted", money(req, euros: remaining))
        case .didNotFit(let remaining): return req.t("budgetRound.why.didNotFit", money(req, euros: remaining), money(req, euros: cost))
        case .boughtByShares(let step, let payers, let share, let paidAll):
            return req.t("budgetRound.why.shares", String(step), String(payers), money(req, share)) + (paidAll > 0 ? " " + req.t("budgetRound.why.paidAll", String(paidAll)) : "")
        case .supportersCouldNotPay(let had): return req.t("budgetRound.why.couldNotPay", money(req, had), money(req, euros: cost))
        case .completed(let remaining): return req.t("budgetRound.why.completed", money(req, euros: remaining))
        case .completionDidNotFit(let remaining): return req.t("budgetRound.why.completionDidNotFit", money(req, euros: remaining), money(req, euros: cost))
        }
    }

    static func results(_ req: Request, _ round: BudgetRound, _ r: BudgetRoundResults.Results) -> ResultsView {
        let titles = Dictionary(uniqueKeysWithValues: r.election.projects.map { ($0.id, $0.name) })
        let shares = Dictionary(uniqueKeysWithValues: r.shares.outcomes.map { ($0.id, $0) })
        let decisive = Set(r.decisive.selected)
        let rows = r.greedy.outcomes.sorted { $0.votes != $1.votes ? $0.votes > $1.votes : $0.id < $1.id }.map { g in
            let s = shares[g.id]!
            return ResultRow(number: g.id, title: titles[g.id] ?? "", votes: g.votes, cost: money(req, euros: g.cost),
                             greedyWon: g.selected, greedyWhy: why(req, g.reason, cost: g.cost), sharesWon: s.selected, sharesWhy: why(req, s.reason, cost: s.cost),
                             won: decisive.contains(g.id))
        }
        let n = max(r.election.ballots.count, 1)
        return ResultsView(ballots: r.election.ballots.count, online: r.online, paper: r.paper,
                           deciding: decidingText(req, round.rule), other: decidingText(req, round.rule == .greedy ? .equalSharesAdd1Greedy : .greedy),
                           decidingIsGreedy: round.rule == .greedy,
                           greedyCost: money(req, euros: r.greedy.cost), sharesCost: money(req, euros: r.shares.cost),
                           perVoter: r.shares.perVoterBudget.map { money(req, $0) } ?? "", start: money(req, Fraction(r.election.budget, over: n)),
                           rows: rows, differ: Set(r.greedy.selected) != Set(r.shares.selected))
    }
}

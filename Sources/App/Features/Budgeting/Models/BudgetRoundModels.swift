import Vapor
import Fluent
import Domain

/// A buurtbegroting round of one area: its money comes from one of the area's budgets, its phases have dates,
/// and its ballot rule and deciding allocation rule are fixed once the first ballot is in.
final class BudgetRound: Model, @unchecked Sendable {
    static let schema = "budget_rounds"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Parent(key: "area_id") var area: Area
    @Parent(key: "budget_id") var budget: AreaBudget
    @Field(key: "number") var number: Int
    /// `vote` (a buurtbegroting residents vote in) or `cheques` (Ede Doet: residents pool cheques on initiatives).
    @Field(key: "kind") var kind: String
    /// The value of one cheque (cheque rounds only).
    @Field(key: "cheque_cents") var chequeCents: Int
    @Field(key: "title") var title: String
    @Field(key: "description") var text: String
    /// Whole euros, in cents (a round's money and costs are whole euros, as in every Pabulib file).
    @Field(key: "amount_cents") var amountCents: Int
    @Field(key: "ideas_from") var ideasFrom: Date
    @Field(key: "ideas_until") var ideasUntil: Date
    @Field(key: "feasibility_until") var feasibilityUntil: Date
    @Field(key: "voting_from") var votingFrom: Date
    @Field(key: "voting_until") var votingUntil: Date
    /// `budget` or `count`.
    @Field(key: "rule_kind") var ruleKind: String
    @Field(key: "minimum_percent") var minimumPercent: Int
    @Field(key: "minimum_projects") var minimumProjects: Int
    @Field(key: "maximum_projects") var maximumProjects: Int
    /// The allocation rule that decides (`AllocationRule`); the page shows the other one next to it.
    @Field(key: "decided_by") var decidedBy: String
    @Field(key: "show_counts") var showCounts: Bool
    @Field(key: "minimum_age") var minimumAge: Int
    @OptionalField(key: "closed_at") var closedAt: Date?
    /// A round for the whole municipality, one pot per area: every area's round carries the number of the series'
    /// first round and the series' title.
    @OptionalField(key: "series") var series: Int?
    @OptionalField(key: "series_title") var seriesTitle: String?
    @Field(key: "demo") var demo: Bool
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @Field(key: "version") var version: Int
    init() {}

    var schedule: RoundSchedule {
        RoundSchedule(ideasFrom: ideasFrom, ideasUntil: ideasUntil, feasibilityUntil: feasibilityUntil, votingFrom: votingFrom, votingUntil: votingUntil)
    }

    var ballotRule: BallotRule {
        ruleKind == "count" ? .count(minimum: minimumProjects, maximum: maximumProjects) : .budget(limit: amountCents / 100, minimumPercent: minimumPercent)
    }

    var rule: AllocationRule { AllocationRule(rawValue: decidedBy) ?? .greedy }

    func phase(at now: Date) -> RoundPhase { schedule.phase(on: DutchTime.calendar.startOfDay(for: now), closed: closedAt != nil) }

    var isCheques: Bool { kind == "cheques" }
}

/// A project of a round: a resident's idea (linked to the idea it came from), its cost and feasibility as the
/// departments assessed them, and after the round the initiative that carries it out.
final class BudgetRoundProject: Model, @unchecked Sendable {
    static let schema = "budget_round_projects"
    @ID(key: .id) var id: UUID?
    @Parent(key: "round_id") var round: BudgetRound
    /// The project's number in the round: its id in the Pabulib export.
    @Field(key: "number") var number: Int
    @OptionalField(key: "idea_id") var ideaID: UUID?
    @Field(key: "title") var title: String
    @Field(key: "summary") var summary: String
    @OptionalField(key: "cost_cents") var costCents: Int?
    @OptionalField(key: "feasible") var feasible: Bool?
    @OptionalField(key: "feasibility_reason") var feasibilityReason: String?
    @OptionalField(key: "assessed_at") var assessedAt: Date?
    @OptionalField(key: "assessed_by") var assessedBy: UUID?
    @OptionalField(key: "initiative_id") var initiativeID: UUID?
    /// Set when the round is closed: the place in the deciding rule's selection order.
    @OptionalField(key: "selected_position") var selectedPosition: Int?
    /// Cheque rounds: the last day cheques can be pooled on this initiative, and when it reached its amount.
    @OptionalField(key: "deadline") var deadline: Date?
    @OptionalField(key: "funded_at") var fundedAt: Date?
    @Field(key: "created_at") var createdAt: Date
    init() {}

    /// On the ballot: assessed as feasible, with a cost.
    var onBallot: Bool { feasible == true && costCents != nil }
}

/// A batch of voting codes, issued at once for one mailing. Its codes are readable (for the letters and the
/// mailing house's file) until the batch is marked as sent; from then on only their hashes are kept.
final class BudgetRoundCodeBatch: Model, @unchecked Sendable {
    static let schema = "budget_round_code_batches"
    @ID(key: .id) var id: UUID?
    @Parent(key: "round_id") var round: BudgetRound
    @Field(key: "number") var number: Int
    @Field(key: "count") var count: Int
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "created_by") var createdBy: UUID?
    @OptionalField(key: "sent_at") var sentAt: Date?
    init() {}
}

/// One voting code: a hash of it, the code itself only until its batch is sent, and the day it was used.
final class BudgetRoundCode: Model, @unchecked Sendable {
    static let schema = "budget_round_codes"
    @ID(key: .id) var id: UUID?
    @Parent(key: "round_id") var round: BudgetRound
    @Parent(key: "batch_id") var batch: BudgetRoundCodeBatch
    @Field(key: "position") var position: Int
    @Field(key: "code_hash") var codeHash: String
    @OptionalField(key: "plain") var plain: String?
    /// The day (not the moment) the code was used, so the order of use cannot be matched with the ballots.
    @OptionalField(key: "used_on") var usedOn: Date?
    init() {}
}

/// A ballot: the projects chosen and the channel, with no time and nothing that leads to a person. The receipt
/// hash lets the holder of the code see which of their projects won.
final class BudgetRoundBallot: Model, @unchecked Sendable {
    static let schema = "budget_round_ballots"
    @ID(key: .id) var id: UUID?
    @Parent(key: "round_id") var round: BudgetRound
    @Field(key: "receipt_hash") var receiptHash: String
    /// `online` or `paper`.
    @Field(key: "channel") var channel: String
    init() {}
}

final class BudgetRoundChoice: Model, @unchecked Sendable {
    static let schema = "budget_round_choices"
    @ID(key: .id) var id: UUID?
    @Parent(key: "ballot_id") var ballot: BudgetRoundBallot
    @Field(key: "round_id") var roundID: UUID
    @Field(key: "project_number") var projectNumber: Int
    init() {}
}

/// A cheque pooled on an initiative of a cheque round. Unlike a ballot it keeps the cheque's hash: a pledge to an
/// initiative that does not reach its amount is released, and the cheque can be pooled again.
final class ChequePledge: Model, @unchecked Sendable {
    static let schema = "cheque_pledges"
    @ID(key: .id) var id: UUID?
    @Parent(key: "round_id") var round: BudgetRound
    @Field(key: "project_number") var projectNumber: Int
    @Field(key: "code_hash") var codeHash: String
    @Field(key: "pledged_at") var pledgedAt: Date
    init() {}
}

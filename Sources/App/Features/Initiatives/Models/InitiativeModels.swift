import Vapor
import Fluent
import Domain

/// A budget of an area for one year (issue 12): initiative money, the coordinator's discretionary money
/// ("handgeld") or another kind the municipality names. The balance columns are the sum of the ledger's
/// entries; they change only together with an entry, in one transaction (`BudgetLedger`).
final class AreaBudget: Model, @unchecked Sendable {
    static let schema = "area_budgets"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Parent(key: "area_id") var area: Area
    @Field(key: "year") var year: Int
    @Enum(key: "kind") var kind: BudgetKind
    @Field(key: "name") var name: String
    @Enum(key: "decider") var decider: BudgetDecider
    /// For a coordinator's budget: the most one decision may grant.
    @OptionalField(key: "mandate_limit_cents") var mandateLimitCents: Int?
    /// For a department's budget: the department that decides.
    @OptionalField(key: "department_id") var departmentID: UUID?
    @Field(key: "allocated_cents") var allocatedCents: Int
    @Field(key: "available_cents") var availableCents: Int
    @Field(key: "committed_cents") var committedCents: Int
    @Field(key: "paid_cents") var paidCents: Int
    @Field(key: "returned_cents") var returnedCents: Int
    @Field(key: "demo") var demo: Bool
    @Field(key: "created_at") var createdAt: Date
    init() {}

    var balance: LedgerBalance {
        LedgerBalance(allocated: allocatedCents, available: availableCents, committed: committedCents, paid: paidCents, returned: returnedCents)
    }
}

/// One movement of money in a budget, with what it was for: the decision (a council's numbered decision, or the
/// coordinator's or department's decision recorded here) and the initiative.
final class LedgerEntry: Model, @unchecked Sendable {
    static let schema = "ledger_entries"
    @ID(key: .id) var id: UUID?
    @Parent(key: "budget_id") var budget: AreaBudget
    @Enum(key: "kind") var kind: LedgerKind
    @Field(key: "amount_cents") var amountCents: Int
    @OptionalField(key: "initiative_id") var initiativeID: UUID?
    @OptionalField(key: "council_decision_id") var councilDecisionID: UUID?
    /// The decision in words: "Besluit 2026-RUW-004", "Mandaat wijkcoördinator", "Begroting 2026".
    @Field(key: "reference") var reference: String
    @Field(key: "recorded_at") var recordedAt: Date
    @OptionalField(key: "recorded_by") var recordedBy: UUID?
    init() {}
}

/// A residents' initiative. The contact details are personal data: staff handling it and the deciding council
/// see them, public pages never do.
final class Initiative: Model, @unchecked Sendable {
    static let schema = "initiatives"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Parent(key: "area_id") var area: Area
    @Field(key: "code") var code: String
    @Field(key: "year") var year: Int
    @Field(key: "sequence") var sequence: Int
    @Field(key: "title") var title: String
    @Field(key: "summary") var summary: String
    @Field(key: "for_whom") var forWhom: String
    @Field(key: "place") var place: String
    @Field(key: "period") var period: String
    @Field(key: "theme") var theme: String
    @Field(key: "asked_cents") var askedCents: Int
    @Enum(key: "kind") var kind: InitiativeKind
    /// For a right to challenge: the municipal task the residents take over, and the department that owns it.
    @Field(key: "task") var task: String
    @OptionalField(key: "task_department_id") var taskDepartmentID: UUID?
    @Field(key: "support_people") var supportPeople: String
    @Field(key: "support_knowledge") var supportKnowledge: String
    @Field(key: "support_network") var supportNetwork: String
    @Field(key: "support_place") var supportPlace: String
    @Field(key: "own_contribution") var ownContribution: String
    @Enum(key: "status") var status: InitiativeStatus
    @Field(key: "contact_name") var contactName: String
    @Field(key: "contact_email") var contactEmail: String
    @OptionalField(key: "contact_phone") var contactPhone: String?
    /// SHA-256 of the initiators' own link key (the key itself is only in their mail and browser).
    @Field(key: "key_hash") var keyHash: String
    @OptionalField(key: "budget_id") var budgetID: UUID?
    @OptionalField(key: "granted_cents") var grantedCents: Int?
    @OptionalField(key: "decision_text") var decisionText: String?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @OptionalField(key: "council_decision_id") var councilDecisionID: UUID?
    @OptionalField(key: "result_text") var resultText: String?
    @Field(key: "good_example") var goodExample: Bool
    @Field(key: "demo") var demo: Bool
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @Field(key: "updated_at") var updatedAt: Date
    @Field(key: "version") var version: Int
    init() {}
}

/// Support other than money that the municipality or a partner gives an initiative (people, knowledge, network,
/// a place), recorded like money so the municipality sees what it gave.
final class InitiativeSupportGiven: Model, @unchecked Sendable {
    static let schema = "initiative_support_given"
    @ID(key: .id) var id: UUID?
    @Parent(key: "initiative_id") var initiative: Initiative
    @Enum(key: "kind") var kind: SupportKind
    @OptionalField(key: "department_id") var departmentID: UUID?
    /// A partner organisation (a housing corporation, a welfare organisation) when it is not a department.
    @Field(key: "partner") var partner: String
    @Field(key: "description") var text: String
    @Field(key: "recorded_at") var recordedAt: Date
    @OptionalField(key: "recorded_by") var recordedBy: UUID?
    init() {}
}

/// A photo with the initiators' accounting (metadata stripped, as with signals).
final class InitiativePhoto: Model, @unchecked Sendable {
    static let schema = "initiative_photos"
    @ID(key: .id) var id: UUID?
    @Parent(key: "initiative_id") var initiative: Initiative
    @Field(key: "position") var position: Int
    @Field(key: "content_type") var contentType: String
    @Field(key: "data") var data: Data
    init() {}
}

/// A line of an initiative's budget, and after the accounting what it actually cost.
final class InitiativeBudgetLine: Model, @unchecked Sendable {
    static let schema = "initiative_budget_lines"
    @ID(key: .id) var id: UUID?
    @Parent(key: "initiative_id") var initiative: Initiative
    @Field(key: "position") var position: Int
    @Field(key: "description") var text: String
    @Field(key: "cents") var cents: Int
    @OptionalField(key: "actual_cents") var actualCents: Int?
    init() {}
}

/// What happened to an initiative: each step with the status before and after, and the text the public sees
/// (a question to the initiators, their answer, a decision's motivation).
final class InitiativeEvent: Model, @unchecked Sendable {
    static let schema = "initiative_events"
    @ID(key: .id) var id: UUID?
    @Parent(key: "initiative_id") var initiative: Initiative
    @Field(key: "at") var at: Date
    @Enum(key: "step") var step: InitiativeStep
    @Enum(key: "from_status") var fromStatus: InitiativeStatus
    @Enum(key: "to_status") var toStatus: InitiativeStatus
    @OptionalField(key: "text") var text: String?
    @OptionalField(key: "actor_id") var actorID: UUID?
    init() {}
}

/// An idea for an area. The poster's name and address are for the coordinator's answer only; the public sees the
/// idea, the number of supports and the coordinator's answer.
final class Idea: Model, @unchecked Sendable {
    static let schema = "ideas"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Parent(key: "area_id") var area: Area
    @Field(key: "code") var code: String
    @Field(key: "year") var year: Int
    @Field(key: "sequence") var sequence: Int
    @Field(key: "title") var title: String
    @Field(key: "text") var text: String
    @Field(key: "theme") var theme: String
    @Enum(key: "status") var status: IdeaStatus
    @Field(key: "poster_name") var posterName: String
    @Field(key: "poster_email") var posterEmail: String
    /// Confirmed supports (kept equal to the confirmed rows of `idea_supports`, in the same transaction).
    @Field(key: "support_count") var supportCount: Int
    /// A random salt for the supporters' keys (one support per person without storing their address).
    @Field(key: "salt") var salt: String
    @OptionalField(key: "answer") var answer: String?
    @OptionalField(key: "answered_at") var answeredAt: Date?
    /// When the answer is "no, this is outside the area's adopted plan": that plan (a cycle product version).
    @OptionalField(key: "outside_plan_id") var outsidePlanID: UUID?
    @OptionalField(key: "initiative_id") var initiativeID: UUID?
    @Field(key: "demo") var demo: Bool
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    init() {}
}

/// One person's support of an idea: a hash of the idea's salt and their address (never the address), confirmed
/// through a link mailed to that address.
final class IdeaSupport: Model, @unchecked Sendable {
    static let schema = "idea_supports"
    @ID(key: .id) var id: UUID?
    @Parent(key: "idea_id") var idea: Idea
    @Field(key: "supporter_hash") var supporterHash: String
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "confirmed_at") var confirmedAt: Date?
    init() {}
}

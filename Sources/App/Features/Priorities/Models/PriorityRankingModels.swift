import Vapor
import Fluent
import Domain

/// A weighing of the areas' main priorities (Venray, seed 001): the municipality sets the criteria and their
/// weights, every area puts forward one main priority, the ripe ones are scored and ranked, and the framework
/// credit (raamkrediet) funds them down the ranking once the ranking is adopted.
final class PriorityRanking: Model, @unchecked Sendable {
    static let schema = "priority_rankings"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Field(key: "number") var number: Int
    @Field(key: "year") var year: Int
    @Field(key: "title") var title: String
    @Field(key: "description") var text: String
    /// The framework credit, in cents.
    @Field(key: "credit_cents") var creditCents: Int
    @OptionalField(key: "adopted_at") var adoptedAt: Date?
    @OptionalField(key: "adopted_by") var adoptedBy: UUID?
    @Field(key: "demo") var demo: Bool
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    init() {}
}

/// A criterion of a weighing; the one with `full_at_percent` is the own contribution, computed from the money and
/// hours the area brings in itself.
final class PriorityCriterion: Model, @unchecked Sendable {
    static let schema = "priority_criteria"
    @ID(key: .id) var id: UUID?
    @Parent(key: "ranking_id") var ranking: PriorityRanking
    @Field(key: "position") var position: Int
    @Field(key: "name") var name: String
    @Field(key: "explanation") var explanation: String
    @Field(key: "weight") var weight: Int
    @Field(key: "max_score") var maxScore: Int
    @OptionalField(key: "full_at_percent") var fullAtPercent: Int?
    init() {}

    var rule: WeightedRanking.Criterion {
        WeightedRanking.Criterion(key: id?.uuidString ?? String(position), weight: weight, maxScore: maxScore, fullAtPercent: fullAtPercent)
    }
}

/// An area's main priority in a weighing: one per area (a unique key), with its cost, what the area brings in
/// itself, and whether the municipality found it feasible (with the reason, which is public).
final class PriorityEntry: Model, @unchecked Sendable {
    static let schema = "priority_entries"
    @ID(key: .id) var id: UUID?
    @Parent(key: "ranking_id") var ranking: PriorityRanking
    @Parent(key: "area_id") var area: Area
    @Field(key: "number") var number: Int
    @Field(key: "title") var title: String
    @Field(key: "summary") var summary: String
    @Field(key: "cost_cents") var costCents: Int
    @Field(key: "own_cents") var ownCents: Int
    @Field(key: "own_text") var ownText: String
    /// nil: not assessed yet.
    @OptionalField(key: "feasible") var feasible: Bool?
    @OptionalField(key: "feasibility_reason") var feasibilityReason: String?
    /// Who carries it out for the area (for example the village council's secretary): personal data, shown only
    /// to staff; gets the initiative's own link when the priority is funded.
    @Field(key: "contact_name") var contactName: String
    @Field(key: "contact_email") var contactEmail: String
    @OptionalField(key: "initiative_id") var initiativeID: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    init() {}
}

/// The score of one main priority on one judged criterion, with the assessor's note (public with the ranking).
final class PriorityScore: Model, @unchecked Sendable {
    static let schema = "priority_scores"
    @ID(key: .id) var id: UUID?
    @Parent(key: "entry_id") var entry: PriorityEntry
    @Parent(key: "criterion_id") var criterion: PriorityCriterion
    @Field(key: "score") var score: Int
    @Field(key: "note") var note: String
    @Field(key: "scored_at") var scoredAt: Date
    @OptionalField(key: "scored_by") var scoredBy: UUID?
    init() {}
}

import Vapor
import Fluent
import Domain

/// One version of one product of an area's cycle (analysis, agenda, plan, monitor). A new version for the yearly
/// adjustment is a new row; the previous one stays, superseded once the new one is adopted.
final class CycleProduct: Model, @unchecked Sendable {
    static let schema = "cycle_products"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Parent(key: "area_id") var area: Area
    @Enum(key: "kind") var kind: CycleKind
    @Field(key: "version") var version: Int
    @Enum(key: "status") var status: CycleStatus
    @Field(key: "title") var title: String
    /// The product's own text: the analysis's conclusions, the agenda's introduction, the monitor's main trends.
    @Field(key: "summary") var summary: String
    /// For an analysis and a monitor: the date of the area profile it reads (its figures at that date).
    @OptionalField(key: "profile_date") var profileDate: Date?
    @OptionalField(key: "consultation_ends") var consultationEnds: Date?
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @OptionalField(key: "adopted_on") var adoptedOn: Date?
    @OptionalField(key: "decision") var decision: String?
    @OptionalField(key: "sent_back_reason") var sentBackReason: String?
    @OptionalField(key: "evaluated_at") var evaluatedAt: Date?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @Field(key: "demo") var demo: Bool
    init() {}
}

/// A spearhead (speerpunt) of an agenda: why (from the analysis), what success looks like, who is involved. Its
/// code (S1, S2, …) stays the same across versions, so plan items, links and the monitor follow it.
final class Spearhead: Model, @unchecked Sendable {
    static let schema = "cycle_spearheads"
    @ID(key: .id) var id: UUID?
    @Parent(key: "product_id") var product: CycleProduct
    @Field(key: "code") var code: String
    @Field(key: "position") var position: Int
    @Field(key: "title") var title: String
    @Field(key: "why") var why: String
    @Field(key: "success") var success: String
    @Field(key: "involved") var involved: String
    /// A recurring problem taken into the agenda: its subject and buurt, and since when, so the monitor can show
    /// whether those signals went down afterwards.
    @OptionalField(key: "tracked_subject") var trackedSubject: String?
    @OptionalField(key: "tracked_buurt") var trackedBuurt: String?
    @OptionalField(key: "tracked_since") var trackedSince: Date?
    init() {}
}

/// A project or action in an area's plan: from a department or partner, or from the agenda; with an owner,
/// period, budget (optionally from a budget in the ledger) and the spearheads it serves.
final class PlanItem: Model, @unchecked Sendable {
    static let schema = "cycle_plan_items"
    @ID(key: .id) var id: UUID?
    @Parent(key: "product_id") var product: CycleProduct
    @Field(key: "position") var position: Int
    @Field(key: "title") var title: String
    @Field(key: "owner") var owner: String
    @OptionalField(key: "project_id") var projectID: UUID?
    @OptionalField(key: "budget_id") var budgetID: UUID?
    @Field(key: "starts_on") var startsOn: Date
    @Field(key: "ends_on") var endsOn: Date
    @Field(key: "budget_cents") var budgetCents: Int
    /// Spearhead codes, comma separated.
    @Field(key: "spearheads") var spearheads: String
    @Field(key: "progress") var progress: String
    init() {}
    var spearheadCodes: [String] { spearheads.split(separator: ",").map { String($0) } }
}

/// A response in a product's consultation, and what was done with it (both stay visible).
final class CycleResponse: Model, @unchecked Sendable {
    static let schema = "cycle_responses"
    @ID(key: .id) var id: UUID?
    @Parent(key: "product_id") var product: CycleProduct
    @Field(key: "signed_as") var signedAs: String
    @Enum(key: "role") var role: ResponseRole
    @Field(key: "text") var text: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "answer") var answer: String?
    @OptionalField(key: "answered_at") var answeredAt: Date?
    init() {}
}

enum ResponseRole: String, Codable, CaseIterable, Sendable { case resident, partner, council }

/// A department's or partner's area-oriented project, registered so the coordinator sees everything planned in the
/// area and the system can point out linking opportunities.
final class AreaProject: Model, @unchecked Sendable {
    static let schema = "area_projects"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @OptionalParent(key: "department_id") var department: Department?
    @OptionalField(key: "partner") var partner: String?
    @Field(key: "title") var title: String
    @Field(key: "description") var text: String
    /// Area and buurt ids, comma separated (a project often spans several).
    @Field(key: "area_ids") var areaIDs: String
    @Field(key: "neighbourhood_ids") var neighbourhoodIDs: String
    @Field(key: "starts_on") var startsOn: Date
    @Field(key: "ends_on") var endsOn: Date
    @Field(key: "budget_cents") var budgetCents: Int
    @Field(key: "contact") var contact: String
    @Enum(key: "status") var status: ProjectStatus
    @Field(key: "spearheads") var spearheads: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "demo") var demo: Bool
    init() {}

    var areas: Set<UUID> { Set(areaIDs.split(separator: ",").compactMap { UUID(uuidString: String($0)) }) }
    var neighbourhoods: Set<UUID> { Set(neighbourhoodIDs.split(separator: ",").compactMap { UUID(uuidString: String($0)) }) }
}

enum ProjectStatus: String, Codable, CaseIterable, Sendable { case planned, running, done, cancelled }

/// The coordinator's judgement on a linking opportunity (a pair of projects): linked, not relevant, or to discuss.
final class LinkDecision: Model, @unchecked Sendable {
    static let schema = "cycle_link_decisions"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Field(key: "first_id") var firstID: UUID
    @Field(key: "second_id") var secondID: UUID
    @Enum(key: "status") var status: LinkStatus
    @Field(key: "note") var note: String
    @Field(key: "decided_at") var decidedAt: Date
    @OptionalField(key: "decided_by") var decidedBy: UUID?
    init() {}
}

enum LinkStatus: String, Codable, CaseIterable, Sendable { case linked, notRelevant, toDiscuss }

/// An area that is not ready for an agenda yet, and why (002: quality sets the pace).
final class CycleNotYet: Model, @unchecked Sendable {
    static let schema = "cycle_not_yet"
    @ID(key: .id) var id: UUID?
    @Parent(key: "area_id") var area: Area
    @Field(key: "reason") var reason: String
    @Field(key: "set_at") var setAt: Date
    init() {}
}

/// What residents brought in, linked to a spearhead of the area's agenda (by its code, which stays across
/// versions), so the agenda and the monitor show per spearhead the signals, initiatives, ideas and advice behind it.
final class SpearheadLink: Model, @unchecked Sendable {
    static let schema = "cycle_spearhead_links"
    @ID(key: .id) var id: UUID?
    @Parent(key: "area_id") var area: Area
    @Field(key: "code") var code: String
    @Enum(key: "kind") var kind: SpearheadLinkKind
    @Field(key: "target_id") var targetID: UUID
    @Field(key: "label") var label: String
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

enum SpearheadLinkKind: String, Codable, CaseIterable, Sendable { case signal, initiative, idea, advice }

/// A municipality's own cadence and consultation rules for the cycle (Amsterdam's when none is set).
final class CycleSettings: Model, @unchecked Sendable {
    static let schema = "cycle_settings"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    /// `CyclePolicy` as JSON.
    @Field(key: "policy") var policyJSON: String
    @Field(key: "updated_at") var updatedAt: Date
    init() {}

    var policy: CyclePolicy { (try? JSONDecoder().decode(CyclePolicy.self, from: Data(policyJSON.utf8))) ?? .amsterdam }

    static func policy(_ municipality: UUID, on db: any Database) async throws -> CyclePolicy {
        try await CycleSettings.query(on: db).filter(\.$municipality.$id == municipality).first()?.policy ?? .amsterdam
    }
}

import Vapor
import Fluent
import SQLKit
import Domain

/// An item on a meeting's agenda, in order.
final class CouncilAgendaItem: Model, @unchecked Sendable {
    static let schema = "council_agenda_items"
    @ID(key: .id) var id: UUID?
    @Parent(key: "meeting_id") var meeting: CouncilMeeting
    @Field(key: "position") var position: Int
    @Field(key: "title") var title: String
    @OptionalField(key: "description") var details: String?
    init() {}
}

/// A meeting document (PDF), public when the meeting is public.
final class CouncilDocument: Model, @unchecked Sendable {
    static let schema = "council_documents"
    @ID(key: .id) var id: UUID?
    @Parent(key: "meeting_id") var meeting: CouncilMeeting
    @Field(key: "title") var title: String
    @Field(key: "filename") var filename: String
    @Field(key: "size") var size: Int
    @Field(key: "data") var data: Data
    @Field(key: "uploaded_at") var uploadedAt: Date
    init() {}
}

/// A decision of a council in a meeting, with a number (e.g. "2026-RUW-004"): adopted advice, a subsidy
/// decision, or another decision. Grants of the initiatives capability will point to subsidy decisions.
final class CouncilDecision: Model, @unchecked Sendable {
    static let schema = "council_decisions"
    @ID(key: .id) var id: UUID?
    @Parent(key: "council_id") var council: Council
    @Parent(key: "meeting_id") var meeting: CouncilMeeting
    @Field(key: "number") var number: String
    @Field(key: "year") var year: Int
    @Field(key: "sequence") var sequence: Int
    @Enum(key: "kind") var kind: CouncilMeetingRules.DecisionKind
    @Field(key: "text") var text: String
    @OptionalField(key: "advice_id") var adviceID: UUID?
    @Field(key: "decided_on") var decidedOn: Date
    init() {}

    /// Numbers and stores a decision taken in `meeting`, inside the caller's transaction. Two decisions numbered at
    /// the same moment collide on the unique number; the caller retries its transaction (`isConstraintFailure`).
    static func record(council: Council, meeting: CouncilMeeting, kind: CouncilMeetingRules.DecisionKind, text: String, adviceID: UUID? = nil,
                       on db: any Database) async throws -> CouncilDecision {
        let year = DutchTime.calendar.component(.year, from: meeting.startsAt)
        let sequence = (try await CouncilDecision.query(on: db).filter(\.$council.$id == council.requireID()).filter(\.$year == year).max(\.$sequence) ?? 0) + 1
        let decision = CouncilDecision()
        decision.$council.id = try council.requireID()
        decision.$meeting.id = try meeting.requireID()
        decision.year = year
        decision.sequence = sequence
        decision.number = CouncilMeetingRules.decisionNumber(year: year, councilCode: try await CouncilCode.of(council, on: db), sequence: sequence)
        decision.kind = kind
        decision.text = text
        decision.adviceID = adviceID
        decision.decidedOn = meeting.startsAt
        try await decision.create(on: db)
        return decision
    }
}

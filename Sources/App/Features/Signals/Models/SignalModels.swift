import Vapor
import Fluent
import SQLKit
import Domain

/// A signal category of a municipality: main categories hold sub categories; a signal always has a sub
/// category (or a main category without subs). The code is the Open311 `service_code`.
final class SignalCategory: Model, @unchecked Sendable {
    static let schema = "signal_categories"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @OptionalField(key: "parent_id") var parentID: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name_nl") var nameNL: String
    @Field(key: "name_en") var nameEN: String
    @Field(key: "term_days") var termDays: Int
    @Field(key: "term_unit") var termUnit: String
    /// Signals of a public category appear (without personal data) on the public area map.
    @Field(key: "is_public") var isPublic: Bool
    /// Extra questions as JSON (`[CategoryQuestion]`).
    @Field(key: "questions") var questionsJSON: String
    @Field(key: "position") var position: Int
    @Field(key: "active") var active: Bool
    init() {}

    func name(_ language: Language) -> String { language == .nl ? nameNL : nameEN }
    var term: HandlingTerm { HandlingTerm(days: termDays, unit: HandlingTerm.Unit(rawValue: termUnit) ?? .workingDays) }

    struct Snapshot: Codable { var termDays: Int; var termUnit: String; var isPublic: Bool; var active: Bool }
    var snapshot: Snapshot { Snapshot(termDays: termDays, termUnit: termUnit, isPublic: isPublic, active: active) }
    var questions: [CategoryQuestion] { (try? JSONDecoder().decode([CategoryQuestion].self, from: Data(questionsJSON.utf8))) ?? [] }
}

/// An extra question of a category ("Brandt de lamp helemaal niet?"): free text or a choice.
struct CategoryQuestion: Codable, Sendable, Equatable {
    var key: String
    var labelNL: String
    var labelEN: String
    var required: Bool
    var options: [String]?
    func label(_ language: Language) -> String { language == .nl ? labelNL : labelEN }
}

/// Per municipality: the holiday calendar, retention, the Open311 jurisdiction and which states mail the reporter.
final class SignalSettings: Model, @unchecked Sendable {
    static let schema = "signal_settings"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Field(key: "jurisdiction") var jurisdiction: String
    @Field(key: "good_friday") var goodFriday: Bool
    @Field(key: "liberation_day") var liberationDay: String
    @Field(key: "retention_days") var retentionDays: Int
    /// Comma-separated states whose change sends the reporter an e-mail.
    @Field(key: "mail_states") var mailStates: String
    init() {}

    var holidays: DutchHolidays {
        DutchHolidays(goodFriday: goodFriday, liberationDay: DutchHolidays.LiberationDay(rawValue: liberationDay) ?? .everyFifthYear)
    }
    var mailedStates: Set<SignalState> { Set(mailStates.split(separator: ",").compactMap { SignalState(rawValue: String($0)) }) }

    struct Snapshot: Codable { var jurisdiction: String; var goodFriday: Bool; var liberationDay: String; var retentionDays: Int; var mailStates: String }
    var snapshot: Snapshot { Snapshot(jurisdiction: jurisdiction, goodFriday: goodFriday, liberationDay: liberationDay, retentionDays: retentionDays, mailStates: mailStates) }

    static let defaultMailStates: [SignalState] = [.inBehandeling, .ingepland, .reactieGevraagd, .afgehandeld, .heropend]
}

final class EscalationStepRecord: Model, @unchecked Sendable {
    static let schema = "escalation_steps"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Field(key: "level") var level: Int
    @Field(key: "working_days") var workingDays: Int
    @Enum(key: "role") var role: Role
    init() {}
    var step: EscalationStep { EscalationStep(level: level, workingDaysAfterDeadline: workingDays, role: role) }
}

final class RoutingRuleRecord: Model, @unchecked Sendable {
    static let schema = "routing_rules"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Field(key: "position") var position: Int
    @OptionalField(key: "category_id") var categoryID: UUID?
    @OptionalParent(key: "area_id") var area: Area?
    /// Comma-separated weekdays (1 = Sunday … 7 = Saturday); empty = every day.
    @Field(key: "weekdays") var weekdays: String
    @OptionalField(key: "from_minute") var fromMinute: Int?
    @OptionalField(key: "to_minute") var toMinute: Int?
    @Parent(key: "department_id") var department: Department
    @OptionalParent(key: "assignee_id") var assignee: User?
    init() {}

    var areaID: UUID? { get { $area.id } set { $area.id = newValue } }
    var assigneeID: UUID? { get { $assignee.id } set { $assignee.id = newValue } }

    var rule: RoutingRule {
        RoutingRule(id: id ?? UUID(), position: position, categoryID: categoryID, areaID: areaID,
                    weekdays: Set(weekdays.split(separator: ",").compactMap { Int($0) }), fromMinute: fromMinute, toMinute: toMinute,
                    departmentID: $department.id, assigneeID: assigneeID)
    }
}

/// A signal. The reporter's contact details live here only until the retention job removes them.
final class Signal: Model, @unchecked Sendable {
    static let schema = "signals"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Field(key: "tracking_code") var trackingCode: String
    @Parent(key: "category_id") var category: SignalCategory
    @OptionalParent(key: "area_id") var area: Area?
    @OptionalParent(key: "neighbourhood_id") var neighbourhood: Neighbourhood?
    @Field(key: "description") var text: String
    @OptionalField(key: "place") var place: String?
    @OptionalField(key: "lat") var lat: Double?
    @OptionalField(key: "lon") var lon: Double?
    /// Answers to the category's extra questions, as JSON `{key: answer}`.
    @Field(key: "answers") var answersJSON: String
    /// Stored as its raw value; an unknown stored value is an error when the row is read, never a silent default.
    @Enum(key: "state") var state: SignalState
    @OptionalParent(key: "department_id") var department: Department?
    @OptionalParent(key: "assignee_id") var assignee: User?
    @OptionalField(key: "deadline") var deadline: Date?
    @Field(key: "reported_at") var reportedAt: Date
    @OptionalField(key: "closed_at") var closedAt: Date?
    @Field(key: "state_changed_at") var stateChangedAt: Date
    /// The signal this one duplicates (closing that one cancels this one).
    @OptionalParent(key: "main_signal_id") var mainSignal: Signal?
    @Field(key: "source") var source: String
    @OptionalField(key: "reporter_email") var reporterEmail: String?
    @OptionalField(key: "reporter_phone") var reporterPhone: String?
    @OptionalField(key: "contact_removed_at") var contactRemovedAt: Date?
    @Field(key: "escalation_level") var escalationLevel: Int
    /// When the escalation job must look at this signal next (a prefilter; the ladder decides).
    @OptionalField(key: "next_escalation_at") var nextEscalationAt: Date?
    @Field(key: "version") var version: Int
    @Field(key: "demo") var demo: Bool
    @OptionalField(key: "feedback_satisfied") var feedbackSatisfied: Bool?
    @OptionalField(key: "feedback_text") var feedbackText: String?
    @OptionalField(key: "feedback_at") var feedbackAt: Date?
    @Field(key: "has_photo") var hasPhoto: Bool
    /// The language the reporter used, for their mail.
    @Field(key: "language") var language: String
    /// The reporter's secret for answering and giving feedback (the tracking code alone is public, e.g. in Open311).
    @OptionalField(key: "reporter_key") var reporterKey: String?
    init() {}

    // The references' ids, for code that needs only the id (the relations above load the records).
    var areaID: UUID? { get { $area.id } set { $area.id = newValue } }
    var neighbourhoodID: UUID? { get { $neighbourhood.id } set { $neighbourhood.id = newValue } }
    var departmentID: UUID? { get { $department.id } set { $department.id = newValue } }
    var assigneeID: UUID? { get { $assignee.id } set { $assignee.id = newValue } }
    var mainSignalID: UUID? { get { $mainSignal.id } set { $mainSignal.id = newValue } }
    var position: Position? { lat.flatMap { la in lon.map { Position(lon: $0, lat: la) } } }
    var answers: [String: String] { (try? JSONDecoder().decode([String: String].self, from: Data(answersJSON.utf8))) ?? [:] }
    var hasContact: Bool { reporterEmail != nil || reporterPhone != nil }
}

/// One entry of a signal's history: a state change, routing, an escalation, a link, a note.
final class SignalEvent: Model, @unchecked Sendable {
    static let schema = "signal_events"
    @ID(key: .id) var id: UUID?
    @Parent(key: "signal_id") var signal: Signal
    @Field(key: "at") var at: Date
    enum Kind: String, Codable, CaseIterable, Sendable { case created, state, routed, escalated, linked, note, feedback, category, placed }
    @Enum(key: "kind") var kind: Kind
    @OptionalField(key: "user_id") var userID: UUID?
    /// The actor as shown to staff ("Anne de Vries", "systeem"); never shown publicly.
    @Field(key: "actor") var actor: String
    @OptionalField(key: "from_state") var fromState: String?
    @OptionalField(key: "to_state") var toState: String?
    @OptionalField(key: "public_text") var publicText: String?
    @OptionalField(key: "internal_note") var internalNote: String?
    /// For an escalation by the ladder: its level and the role it went to.
    @OptionalField(key: "escalation_level") var escalationLevel: Int?
    @OptionalEnum(key: "escalation_role") var escalationRole: Role?
    init() {}
}

/// An escalation of a signal: one per ladder level (unique), or a manual one by a council member.
final class SignalEscalation: Model, @unchecked Sendable {
    static let schema = "signal_escalations"
    @ID(key: .id) var id: UUID?
    @Parent(key: "signal_id") var signal: Signal
    @OptionalField(key: "level") var level: Int?
    @Enum(key: "role") var role: Role
    @Field(key: "at") var at: Date
    @OptionalField(key: "reason") var reason: String?
    @OptionalField(key: "by_user_id") var byUserID: UUID?
    init() {}
}

final class SignalPhoto: Model, @unchecked Sendable {
    static let schema = "signal_photos"
    @ID(key: .id) var id: UUID?
    @Parent(key: "signal_id") var signal: Signal
    @Field(key: "content_type") var contentType: String
    @Field(key: "data") var data: Data
    init() {}
}

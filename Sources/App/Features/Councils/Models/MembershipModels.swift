import Vapor
import Fluent
import Domain

/// Per municipality: when council terms start (with the municipal council), how long the college has to answer
/// advice, and the weights of a council's and a theme group's advice when they differ.
final class CouncilSettings: Model, @unchecked Sendable {
    static let schema = "council_settings"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Field(key: "term_year") var termYear: Int
    @Field(key: "term_month") var termMonth: Int
    @Field(key: "term_day") var termDay: Int
    @Field(key: "answer_days") var answerDays: Int
    @Field(key: "council_weight") var councilWeight: Int
    @Field(key: "theme_group_weight") var themeGroupWeight: Int
    init() {}

    var calendar: CouncilRules.TermCalendar { CouncilRules.TermCalendar(anchorYear: termYear, month: termMonth, day: termDay) }

    struct Snapshot: Codable { var termStart: String; var answerDays: Int; var councilWeight: Int; var themeGroupWeight: Int }
    var snapshot: Snapshot {
        Snapshot(termStart: String(format: "%04d-%02d-%02d", termYear, termMonth, termDay), answerDays: answerDays, councilWeight: councilWeight, themeGroupWeight: themeGroupWeight)
    }

    static func load(_ municipality: UUID, on db: any Database) async throws -> CouncilSettings {
        if let s = try await CouncilSettings.query(on: db).filter(\.$municipality.$id == municipality).first() { return s }
        let s = CouncilSettings()
        s.$municipality.id = municipality
        s.termYear = 2026
        s.termMonth = 5
        s.termDay = 1
        s.answerDays = 42
        s.councilWeight = 2
        s.themeGroupWeight = 1
        return s
    }
}

/// A member of a council for (part of) a term.
final class CouncilMember: Model, @unchecked Sendable {
    static let schema = "council_members"
    @ID(key: .id) var id: UUID?
    @Parent(key: "council_id") var council: Council
    @Field(key: "name") var name: String
    @OptionalField(key: "email") var email: String?
    @Field(key: "role") var role: String
    @Field(key: "starts_on") var startsOn: Date
    @Field(key: "ends_on") var endsOn: Date
    @OptionalField(key: "resigned_on") var resignedOn: Date?
    @Field(key: "demo") var demo: Bool
    init() {}

    static let roles = ["chair", "secretary", "member"]
    func isActive(at date: Date) -> Bool { startsOn <= date && date < (resignedOn ?? endsOn) }
}

/// The independent group that nominates candidates for a council's round (term); appointed by the sitting members.
final class SelectionGroupMember: Model, @unchecked Sendable {
    static let schema = "council_selection_group"
    @ID(key: .id) var id: UUID?
    @Parent(key: "council_id") var council: Council
    @Field(key: "term_start") var termStart: Date
    @Field(key: "name") var name: String
    @OptionalField(key: "email") var email: String?
    init() {}
}

/// A resident who applied to join a council. Personal details are for the coordinator and the college only.
final class CouncilCandidate: Model, @unchecked Sendable {
    static let schema = "council_candidates"
    @ID(key: .id) var id: UUID?
    @Parent(key: "council_id") var council: Council
    @Field(key: "term_start") var termStart: Date
    @Field(key: "name") var name: String
    @Field(key: "email") var email: String
    @OptionalField(key: "phone") var phone: String?
    @OptionalField(key: "neighbourhood_id") var neighbourhoodID: UUID?
    @OptionalField(key: "address") var address: String?
    @Field(key: "politically_active") var politicallyActive: Bool
    @Field(key: "employed") var employed: Bool
    @Field(key: "motivation") var motivation: String
    @Enum(key: "status") var status: Candidacy.Status
    @Field(key: "reasons") var reasons: String
    @Field(key: "applied_at") var appliedAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @OptionalField(key: "decision_date") var decisionDate: Date?
    init() {}

    var state: Candidacy.Status { status }
}

/// What an area without a council does instead, decided by the coordinator with the college (seed 004).
final class AlternativeParticipation: Model, @unchecked Sendable {
    static let schema = "alternative_participation"
    @ID(key: .id) var id: UUID?
    @Parent(key: "area_id") var area: Area
    @Field(key: "description") var text: String
    @Field(key: "since") var since: Date
    @Field(key: "decided_on") var decidedOn: Date
    init() {}
}

/// Invented members for the demo councils (marked as demo data wherever they appear).
enum MemberDemoSeeder {
    static let first = ["Anke", "Bart", "Carla", "Dirk", "Els", "Frank", "Greet", "Hans", "Ilse", "Joost", "Karin", "Luuk", "Mieke", "Niels"]
    static let last = ["van den Berg", "Jansen", "de Wit", "Smits", "van Dijk", "Hendriks", "Peters", "Verhoeven", "van Lith", "Bosman"]

    static func seed(on db: any Database, now: Date) async throws {
        guard try await CouncilMember.query(on: db).count() == 0 else { return }
        let councils = try await Council.query(on: db).filter(\.$demo == true).sort(\.$name).all()
        for (index, council) in councils.enumerated() {
            let settings = try await CouncilSettings.load(council.$municipality.id, on: db)
            let term = settings.calendar.term(containing: now)
            for n in 0..<(5 + index % 3) {
                let m = CouncilMember()
                m.$council.id = try council.requireID()
                m.name = "\(first[(index * 3 + n) % first.count]) \(last[(index + n * 7) % last.count])"
                m.role = n == 0 ? "chair" : (n == 1 ? "secretary" : "member")
                m.startsOn = term.start
                m.endsOn = term.end
                m.demo = true
                try await m.create(on: db)
            }
        }
    }
}

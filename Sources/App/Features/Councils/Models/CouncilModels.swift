import Vapor
import Fluent
import Domain

/// A wijkraad or dorpsraad: at most one per area.
final class Council: Model, @unchecked Sendable {
    static let schema = "councils"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Parent(key: "area_id") var area: Area
    @Field(key: "name") var name: String
    @Field(key: "demo") var demo: Bool
    /// Seats on the council; fewer members means vacancies.
    @Field(key: "seats") var seats: Int
    init() {}
}

/// A council meeting: public or closed, planned, held or cancelled.
final class CouncilMeeting: Model, @unchecked Sendable {
    static let schema = "council_meetings"
    @ID(key: .id) var id: UUID?
    @Parent(key: "council_id") var council: Council
    @Field(key: "starts_at") var startsAt: Date
    @Field(key: "ends_at") var endsAt: Date
    @Field(key: "place") var place: String
    @Field(key: "is_public") var isPublic: Bool
    @Enum(key: "status") var status: CouncilRules.MeetingStatus
    @OptionalField(key: "minutes") var minutes: String?
    init() {}

    var rule: CouncilRules.Meeting {
        CouncilRules.Meeting(date: startsAt, isPublic: isPublic, status: status)
    }
}

/// Demo councils for Oss with a year of meetings (invented; marked as demo data on every page that shows them).
enum CouncilDemoSeeder {
    static func seed(on db: any Database, now: Date) async throws {
        guard try await Council.query(on: db).count() == 0,
              let oss = try await Municipality.query(on: db).filter(\.$code == "GM0828").first() else { return }
        let calendar = DutchTime.calendar
        let year = calendar.component(.year, from: now)
        let areas = try await Area.query(on: db).filter(\.$municipality.$id == oss.requireID()).sort(\.$position).all()
        let codes = CouncilMeetingRules.councilCodes(areas.map(\.name)) // every area gets a council, in this order
        for (index, area) in areas.enumerated() {
            let council = Council()
            council.$municipality.id = try oss.requireID()
            council.$area.id = try area.requireID()
            council.name = (area.kind == .village ? "Dorpsraad " : "Wijkraad ") + area.name
            council.demo = true
            council.seats = 7
            try await council.create(on: db)
            // Every other month on a weekday evening; some councils meet less often, so the six-meetings rule shows.
            let months = index % 4 == 3 ? [1, 4, 7, 10] : [1, 3, 5, 7, 9, 11]
            for (n, month) in months.enumerated() {
                guard let start = calendar.date(from: DateComponents(year: year, month: month, day: 8 + (index % 10), hour: 19, minute: 30)) else { continue }
                let meeting = CouncilMeeting()
                meeting.$council.id = try council.requireID()
                meeting.startsAt = start
                meeting.endsAt = start.addingTimeInterval(2 * 3600)
                meeting.place = "Wijkcentrum \(area.name)"
                meeting.isPublic = n != 2 || index % 2 == 0
                meeting.status = start < now ? .held : .planned
                if meeting.status == .held && meeting.isPublic {
                    meeting.minutes = "Aanwezig: vijf leden en de wijkcoördinator. De raad besprak de stand van zaken in \(area.name) en de meldingen van de afgelopen maanden. (Verzonnen voorbeeld.)"
                }
                try await meeting.create(on: db)
                // An agenda for every meeting, and for a held public meeting a numbered decision, so a new user sees the pages at work.
                for (position, title) in ["Opening en mededelingen", "Verslag van de vorige vergadering", "Meldingen en signalen uit \(area.name)", "Rondvraag"].enumerated() {
                    let item = CouncilAgendaItem()
                    item.$meeting.id = try meeting.requireID()
                    item.position = position + 1
                    item.title = title
                    try await item.create(on: db)
                }
                if meeting.status == .held && meeting.isPublic {
                    let decision = CouncilDecision()
                    decision.$council.id = try council.requireID()
                    decision.$meeting.id = try meeting.requireID()
                    decision.year = year
                    decision.sequence = n + 1
                    decision.number = CouncilMeetingRules.decisionNumber(year: year, councilCode: codes[index], sequence: n + 1)
                    decision.kind = n % 3 == 1 ? .subsidy : .other
                    decision.text = n % 3 == 1 ? "De raad geeft 250 euro voor het buurtfeest in \(area.name). (Verzonnen voorbeeld.)"
                                                : "De raad vraagt de gemeente om een gesprek over de verkeersveiligheid rond de school. (Verzonnen voorbeeld.)"
                    decision.decidedOn = start
                    try await decision.create(on: db)
                }
            }
        }
        // A theme group open to every resident, so the theme groups page is not empty (invented).
        if let start = calendar.date(from: DateComponents(year: year, month: 1, day: 1)), let end = calendar.date(byAdding: .month, value: 18, to: start) {
            let group = ThemeGroup()
            group.$municipality.id = try oss.requireID()
            group.topic = "Groen en spelen in de wijk"
            group.text = "Bewoners denken mee over speelplekken en groen. Dit is een verzonnen voorbeeld van de demo."
            group.startsOn = start
            group.endsOn = end
            group.areaIDsText = areas.prefix(3).compactMap { $0.id?.uuidString }.joined(separator: ",")
            try await group.create(on: db)
        }
    }
}

/// A council's short code in its decision numbers, unique within its municipality (`CouncilMeetingRules.councilCodes`).
enum CouncilCode {
    static func of(_ council: Council, on db: any Database) async throws -> String {
        let councils = try await Council.query(on: db).filter(\.$municipality.$id == council.$municipality.id).with(\.$area).all()
            .sorted { ($0.area.position, $0.area.name) < ($1.area.position, $1.area.name) }
        let codes = CouncilMeetingRules.councilCodes(councils.map(\.area.name))
        return councils.firstIndex { $0.id == council.id }.map { codes[$0] } ?? CouncilMeetingRules.councilCode(council.name)
    }
}

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
                try await meeting.create(on: db)
            }
        }
    }
}

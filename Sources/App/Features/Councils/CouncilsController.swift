import Vapor
import Fluent
import Domain

/// Public meeting calendars of the councils, as pages and as iCalendar feeds.
struct CouncilsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let routes = routes.access(.public)
        routes.get(Site.meetings.route, use: calendar)
        routes.get(Site.meetingsFeed.route, use: municipalityFeed)
        routes.get(Site.areaCalendarFeed.route, use: areaFeed)
    }

    struct CalendarPage: Encodable {
        struct Row: Encodable { var iso: String; var when: String; var council: String; var councilHref: String; var place: String; var status: String; var statusClass: String; var href: String }
        var page: PageMeta
        var heading: String
        var feed: String
        var upcoming: [Row]
        var past: [Row]
        var demo: Bool
    }

    static func meetings(in m: Municipality, area: UUID? = nil, on db: any Database) async throws -> [(CouncilMeeting, Council)] {
        let municipalityID = try m.requireID()
        var councils = Council.query(on: db).filter(\.$municipality.$id == municipalityID)
        if let area { councils = councils.filter(\.$area.$id == area) }
        let list = try await councils.all()
        let byID = Dictionary(uniqueKeysWithValues: list.compactMap { c in c.id.map { ($0, c) } })
        guard !byID.isEmpty else { return [] }
        let meetings = try await CouncilMeeting.query(on: db).filter(\.$council.$id ~~ Array(byID.keys)).filter(\.$isPublic == true).sort(\.$startsAt).all()
        return meetings.compactMap { meeting in byID[meeting.$council.id].map { (meeting, $0) } }
    }

    func calendar(req: Request) async throws -> View {
        let m = try await req.municipality(req.parameters.get("municipality") ?? "")
        let s = try await req.areas.snapshot(for: m, on: req.db)
        let now = req.application.clock()
        let all = try await Self.meetings(in: m, on: req.db)
        let rows = all.map { meeting, council in
            CalendarPage.Row(iso: Format.isoDate(meeting.startsAt), when: Format.dateTime(meeting.startsAt, req.language), council: council.name,
                             councilHref: s.areas.first { $0.id == council.$area.id }.map { Paths.area(s.slug, $0.slug) } ?? Paths.municipality(s.slug),
                             place: meeting.place, status: req.t("council.meeting.\(meeting.status)"),
                             statusClass: meeting.status == .cancelled ? "danger" : (meeting.status == .held ? "neutral" : "active"),
                             href: Site.meeting.link(s.slug, meeting.id!.uuidString))
        }
        let split = all.map { $0.0.startsAt >= now }
        let heading = req.t("council.calendarTitle", m.name)
        var page = req.page(heading, crumbs: [(req.t("municipality.heading", m.name), Paths.municipality(m.slug))])
        page.alternateCalendar = Site.meetingsFeed.link(m.slug)
        let upcoming = zip(rows, split).filter { $0.1 }.map(\.0)
        let past = zip(rows, split).filter { !$0.1 }.map(\.0).reversed()
        return try await req.view.render("Councils/calendar", CalendarPage(page: page, heading: heading, feed: Site.meetingsFeed.link(m.slug),
                                                                       upcoming: upcoming, past: Array(past), demo: try await Council.query(on: req.db).filter(\.$municipality.$id == m.requireID()).filter(\.$demo == true).count() > 0))
    }

    private func feed(_ req: Request, name: String, meetings: [(CouncilMeeting, Council)]) -> Response {
        // Stable UIDs (RFC 5545 §3.8.4.7): from the configured public address, never from a request header.
        let host = URL(string: req.application.config.publicURL)?.host ?? "wijkwerk"
        let events = meetings.map { meeting, council in
            ICalendar.Event(uid: "\(meeting.id!.uuidString.lowercased())@\(host)", start: meeting.startsAt, end: meeting.endsAt,
                            summary: req.t("council.meeting.summary", council.name), location: meeting.place,
                            description: req.t("council.meeting.description"), cancelled: meeting.status == .cancelled)
        }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "calendar", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"vergaderingen.ics\"")
        return Response(status: .ok, headers: headers, body: .init(string: ICalendar.calendar(name: name, events: events, stamp: req.application.clock())))
    }

    func municipalityFeed(req: Request) async throws -> Response {
        let m = try await req.municipality(req.parameters.get("municipality") ?? "")
        return feed(req, name: req.t("council.calendarTitle", m.name), meetings: try await Self.meetings(in: m, on: req.db))
    }

    func areaFeed(req: Request) async throws -> Response {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        guard let a = s.area(slug: req.parameters.get("area") ?? ""), let m = try await Municipality.find(s.id, on: req.db) else { throw AppError.notFound("error.areaNotFound") }
        return feed(req, name: req.t("council.calendarTitle", a.name), meetings: try await Self.meetings(in: m, area: a.id, on: req.db))
    }
}

/// What the area page shows of its council: name, next meetings and the six-meetings rule for this year.
struct CouncilSummary: Encodable {
    struct Next: Encodable { var iso: String; var when: String; var place: String }
    var name: String
    var next: [Next]
    var compliance: String
    var complianceClass: String
    var feed: String

    static func load(area: UUID, municipalitySlug: String, areaSlug: String, req: Request) async throws -> CouncilSummary? {
        guard let council = try await Council.query(on: req.db).filter(\.$area.$id == area).first() else { return nil }
        let meetings = try await CouncilMeeting.query(on: req.db).filter(\.$council.$id == council.requireID()).sort(\.$startsAt).all()
        let now = req.application.clock()
        let year = DutchTime.calendar.component(.year, from: now)
        let result = CouncilRules.compliance(of: meetings.map(\.rule), year: year, now: now)
        let next = meetings.filter { $0.isPublic && $0.startsAt >= now && $0.status == .planned }.prefix(3).map {
            Next(iso: Format.isoDate($0.startsAt), when: Format.dateTime($0.startsAt, req.language), place: $0.place)
        }
        return CouncilSummary(name: council.name, next: Array(next),
                              compliance: req.t("council.compliance.\(result.status.rawValue)", String(result.held), String(result.planned), String(result.minimum), String(year)),
                              complianceClass: result.status == .met || result.status == .onTrack ? "success" : "warning",
                              feed: Site.areaCalendarFeed.link(municipalitySlug, areaSlug))
    }
}

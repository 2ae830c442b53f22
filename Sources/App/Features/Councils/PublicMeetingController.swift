import Vapor
import Fluent
import Domain

/// A public meeting as residents see it: agenda, documents, minutes and decisions. Closed meetings show only
/// that they took place.
struct PublicMeetingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let routes = routes.access(.public)
        routes.get(Site.meeting.route, use: show)
        routes.get(Site.meetingDocument.route, use: document)
    }

    private func load(_ req: Request) async throws -> (Municipality, Council, CouncilMeeting) {
        let m = try await req.municipality(req.parameters.get("municipality") ?? "")
        guard let id = req.parameters.get("meeting", as: UUID.self), let meeting = try await CouncilMeeting.find(id, on: req.db) else { throw AppError.notFound("council.meetingNotFound") }
        let council = try await meeting.$council.get(on: req.db)
        guard council.$municipality.id == m.id else { throw AppError.notFound("council.meetingNotFound") }
        return (m, council, meeting)
    }

    struct Page: Encodable {
        var page: PageMeta
        var heading: String
        var when: String
        var place: String
        var status: String
        var isPublic: Bool
        var minutes: String?
        var agenda: [MeetingWorkController.MeetingPage.Item]
        var documents: [MeetingWorkController.MeetingPage.Document]
        var decisions: [MeetingWorkController.MeetingPage.Decision]
        var demo: Bool
    }

    func show(req: Request) async throws -> View {
        let (m, council, meeting) = try await load(req)
        let lang = req.language
        var agenda: [MeetingWorkController.MeetingPage.Item] = [], documents: [CouncilDocument] = [], decisions: [MeetingWorkController.MeetingPage.Decision] = []
        if meeting.isPublic { (agenda, documents, decisions) = try await MeetingWorkController.details(meeting, req: req) }
        let heading = req.t("councilWork.meetingTitle", council.name, Format.day(meeting.startsAt, lang))
        return try await req.view.render("Councils/meeting", Page(
            page: req.page(heading, municipality: m.name, crumbs: [(req.t("municipality.heading", m.name), Paths.municipality(m.slug)),
                                                                   (req.t("council.calendarTitle", m.name), Site.meetings.link(m.slug))]),
            heading: heading, when: Format.dateTime(meeting.startsAt, lang), place: meeting.place, status: req.t("council.meeting.\(meeting.status)"),
            isPublic: meeting.isPublic, minutes: meeting.isPublic ? meeting.minutes : nil, agenda: agenda,
            documents: documents.map { .init(title: $0.title, href: Site.meetingDocument.link(m.slug, meeting.id!.uuidString, $0.id!.uuidString), size: "\(max(1, $0.size / 1024)) kB") },
            decisions: decisions, demo: council.demo))
    }

    func document(req: Request) async throws -> Response {
        let (_, council, meeting) = try await load(req)
        var allowed = meeting.isPublic
        if !allowed, req.authUser != nil {
            let actor = try await req.actor()
            allowed = CouncilWorkController.seesCouncilWork(actor, council)
        }
        guard allowed,
              let id = req.parameters.get("document", as: UUID.self), let doc = try await CouncilDocument.find(id, on: req.db), doc.$meeting.id == meeting.id else {
            throw AppError.notFound("council.documentNotFound")
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/pdf")
        let safe = doc.filename.filter { $0.isLetter || $0.isNumber || "._- ".contains($0) }
        headers.replaceOrAdd(name: .contentDisposition, value: "inline; filename=\"\(safe.isEmpty ? "document.pdf" : safe)\"")
        return Response(status: .ok, headers: headers, body: .init(data: doc.data))
    }
}

import Vapor
import Fluent
import Domain

/// What others reported: open and recently closed reports of public subjects per municipality and area, with
/// subject, status, date and place, filterable. Never personal data (phone numbers and e-mail addresses in
/// texts masked); the area map's dots link to the same reports.
struct PublicReportsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.access(.public).get(Site.publicReports.route, use: list)
    }

    struct Page: Encodable {
        struct Row: Encodable { var code: String; var href: String; var subject: String; var area: String; var status: String; var closed: Bool; var reported: String; var iso: String; var place: String? }
        var page: PageMeta
        var heading: String
        var filters: [FieldView]
        var rows: [Row]
        var total: Int
        var countText: String
        var previous: String?
        var next: String?
        var reportHref: String
    }

    static let pageSize = 50
    /// Closed reports stay on the list this long after closing.
    static let closedWindow: TimeInterval = 30 * 86_400

    func list(req: Request) async throws -> View {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        let lang = req.language, now = req.application.clock()
        let categories = try await SignalCategory.query(on: req.db).filter(\.$municipality.$id == s.id).filter(\.$isPublic == true).sort(\.$position).all()
        let names = Dictionary(uniqueKeysWithValues: categories.compactMap { c in c.id.map { ($0, c.name(lang)) } })
        let area = req.query[String.self, at: "gebied"].flatMap { s.area(slug: $0) }
        let status = req.query[String.self, at: "status"].flatMap { ["open", "afgehandeld"].contains($0) ? $0 : nil }
        let page = min(1_000, max(1, req.query[Int.self, at: "pagina"] ?? 1))
        func query() -> QueryBuilder<Signal> {
            let q = Signal.query(on: req.db).filter(\.$municipality.$id == s.id).filter(\.$category.$id ~~ Array(names.keys))
                .filter(\.$reportedAt >= now.addingTimeInterval(-SignalRules.nearbyWindow * 4))
            if let area { q.filter(\.$area.$id == area.id) }
            switch status {
            case "open": q.filter(\.$state ~~ SignalJobs.openStates)
            case "afgehandeld": q.filter(\.$state == .afgehandeld).filter(\.$closedAt >= now.addingTimeInterval(-Self.closedWindow))
            default:
                q.group(.or) { or in
                    or.filter(\.$state ~~ SignalJobs.openStates)
                    or.group(.and) { $0.filter(\.$state == .afgehandeld).filter(\.$closedAt >= now.addingTimeInterval(-Self.closedWindow)) }
                }
            }
            return q
        }
        let total = try await query().count()
        let signals = try await query().sort(\.$reportedAt, .descending).sort(\.$id).range(((page - 1) * Self.pageSize)..<(page * Self.pageSize)).all()
        let areaName = Dictionary(uniqueKeysWithValues: s.areas.map { ($0.id, $0.name) })
        let rows = signals.map { sig in
            Page.Row(code: sig.trackingCode, href: Site.tracking.link(sig.trackingCode), subject: names[sig.$category.id] ?? "",
                     area: sig.areaID.flatMap { areaName[$0] } ?? "–", status: req.t("signal.public." + sig.state.open311Status), closed: sig.state.isClosed,
                     reported: Format.day(sig.reportedAt, lang), iso: Format.isoDate(sig.reportedAt), place: sig.place.map { PersonalData.masked($0) })
        }
        let filters = [
            FieldView(req, name: "gebied", label: req.t("signal.filter.area"), type: "select", value: area?.slug ?? "", optional: true,
                      options: [(value: "", label: req.t("signal.filter.all"))] + s.areas.map { (value: $0.slug, label: $0.name) }),
            FieldView(req, name: "status", label: req.t("signal.filter.state"), type: "select", value: status ?? "", optional: true,
                      options: [(value: "", label: req.t("reports.openAndClosed")), (value: "open", label: req.t("signal.public.open")), (value: "afgehandeld", label: req.t("reports.closed"))]),
        ]
        let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        let heading = area.map { req.t("reports.areaTitle", $0.name) } ?? req.t("reports.title", s.name)
        return try await req.view.render("Signals/public-reports", Page(
            page: req.page(heading, municipality: s.name, crumbs: [(req.t("municipality.heading", s.name), Paths.municipality(s.slug))]),
            heading: heading, filters: filters, rows: rows, total: total, countText: req.tCount("reports.count", total), previous: page > 1 ? req.pageLink(page - 1) : nil, next: page < pages ? req.pageLink(page + 1) : nil,
            reportHref: Site.report.link(s.slug) + (area.map { "?gebied=" + $0.slug } ?? "")))
    }
}

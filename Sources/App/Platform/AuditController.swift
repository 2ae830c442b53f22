import Vapor
import Fluent
import Domain

/// The audit log for admins, filterable by kind of record, action, person and date.
struct AuditController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.access(.action(.readAuditLog)).get(Site.auditLog.route, use: list)
    }

    struct Filter: Content { var soort: String?; var actie: String?; var wie: String?; var van: String?; var tot: String?; var pagina: String? }

    struct Page: Encodable {
        struct Row: Encodable { var when: String; var iso: String; var who: String; var action: String; var subject: String; var type: String; var changes: [AuditDiff.Change]; var reason: String? }
        struct Link: Encodable { var href: String; var label: String; var current: Bool }
        var page: PageMeta
        var heading: String
        var form: FormView
        var rows: [Row]
        var total: Int
        var pages: [Link]
    }

    static let pageSize = 50

    func list(req: Request) async throws -> Response {
        let actor = try await req.actor() // the route needs readAuditLog; a municipality's admin reads its own entries
        let filter = (try? req.query.decode(Filter.self)) ?? Filter()
        var errors: [FieldError] = []
        let from = Input.day(filter.van, field: "van", errors: &errors)
        let to = Input.day(filter.tot, field: "tot", errors: &errors).map { $0.addingTimeInterval(24 * 3600) }
        var query = AuditEntry.query(on: req.db)
        if let m = actor.municipalityID { query = query.filter(\.$municipalityID == m) }
        if let type = filter.soort, !type.isEmpty { query = query.filter(\.$entityType == type) }
        if let action = filter.actie, !action.isEmpty { query = query.filter(\.$action == action) }
        if let who = filter.wie?.trimmingCharacters(in: .whitespaces), !who.isEmpty { query = query.filter(\.$actorName, .custom("LIKE"), "%\(who.replacingOccurrences(of: "%", with: ""))%") }
        if let from { query = query.filter(\.$createdAt >= from) }
        if let to { query = query.filter(\.$createdAt < to) }
        let total = errors.isEmpty ? try await query.count() : 0
        let pageCount = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        let pageNumber = min(max(1, filter.pagina.flatMap { Int($0) } ?? 1), pageCount)
        let entries = errors.isEmpty ? try await query.sort(\.$createdAt, .descending).range(((pageNumber - 1) * Self.pageSize)..<(pageNumber * Self.pageSize)).all() : []
        let names = try await AuditDiff.names(for: entries, on: req.db)
        let rows = entries.map { entry in
            Page.Row(when: Format.dateTime(entry.createdAt, req.language), iso: Format.isoDate(entry.createdAt), who: entry.actorName,
                     action: AuditAction(rawValue: entry.action).map { req.t($0.labelKey) } ?? entry.action, subject: entry.summary,
                     type: AuditEntityType(rawValue: entry.entityType).map { req.t($0.labelKey) } ?? entry.entityType,
                     changes: AuditDiff.changes(before: entry.before, after: entry.after, names: names, label: { AuditDiff.fieldLabel($0, req) },
                                                value: { AuditDiff.valueLabel(field: $0, value: $1, req) }),
                     reason: entry.reason)
        }
        let types = AuditEntityType.allCases.map(\.rawValue)
        let form = FormView(action: Site.auditLog.link(), submitLabel: req.t("audit.filter"), fields: [
            FieldView(req, name: "soort", label: req.t("audit.filterType"), type: "select", value: filter.soort ?? "", optional: true,
                      options: [("", req.t("audit.allTypes"))] + types.map { ($0, req.t("audit.type.\($0)")) }, errors: errors),
            FieldView(req, name: "wie", label: req.t("audit.filterWho"), value: filter.wie ?? "", optional: true, errors: errors),
            FieldView(req, name: "van", label: req.t("audit.filterFrom"), type: "date", value: filter.van ?? "", description: req.t("audit.dateHelp"), optional: true, errors: errors),
            FieldView(req, name: "tot", label: req.t("audit.filterTo"), type: "date", value: filter.tot ?? "", description: req.t("audit.dateHelp"), optional: true, errors: errors),
        ], csrf: "", showRequiredNote: false)
        let pages: [Page.Link] = (1...min(pageCount, 20)).map { n in
            Page.Link(href: req.pageLink(n), label: String(n), current: n == pageNumber)
        }
        let context = Page(page: req.page(req.tCount("audit.countTitle", total), crumbs: [(req.t("admin.title"), Site.admin.link())], errors: errors),
                           heading: req.tCount("audit.countTitle", total), form: form, rows: rows, total: total, pages: pageCount > 1 ? pages : [])
        return try await req.render("Admin/audit", context, status: errors.isEmpty ? .ok : .unprocessableEntity)
    }
}

import Vapor
import Fluent
import Domain

/// The signals block of the public area page: the last twelve months as counts and handling time (no personal data).
struct SignalsAreaSection: AreaPageSection {
    struct Context: Encodable { var signals: SignalStatistics.Line?; var reportHref: String; var reportsHref: String }

    func html(_ context: AreaPageContext, req: Request) async throws -> String? {
        let now = req.application.clock()
        var filter = SignalFilter(municipality: context.municipality.id)
        filter.area = context.area.id
        let rows = try await SignalStatistics.cachedRows(filter, now: now, app: req.application)
        let line = rows.isEmpty ? nil : SignalStatistics.line("", rows, now: now, language: req.language)
        return try await req.renderHTML("Signals/area-section", Context(
            signals: line, reportHref: Site.report.link(context.municipality.slug) + "?gebied=" + context.area.slug,
            reportsHref: Site.publicReports.link(context.municipality.slug) + "?gebied=" + context.area.slug))
    }
}

/// Open signals in public categories of the last 12 weeks, as dots on the area's map (no personal data).
struct SignalDotsLayer: AreaMapLayer {
    func overlay(_ context: AreaPageContext, req: Request) async throws -> AreaMapOverlay? {
        guard let bounds = context.bounds else { return nil }
        let categories = try await SignalCategory.query(on: req.db).filter(\.$municipality.$id == context.municipality.id).filter(\.$isPublic == true).all()
        guard !categories.isEmpty else { return nil }
        let names = Dictionary(uniqueKeysWithValues: categories.compactMap { c in c.id.map { ($0, c.name(req.language)) } })
        let open = try await Signal.query(on: req.db).filter(\.$area.$id == context.area.id).filter(\.$category.$id ~~ Array(names.keys))
            .filter(\.$state ~~ SignalJobs.openStates).filter(\.$reportedAt >= req.application.clock().addingTimeInterval(-SignalRules.nearbyWindow))
            .filter(\.$lat != nil).field(\.$lat).field(\.$lon).field(\.$id).field(\.$trackingCode).field(\.$category.$id).limit(500).all()
        // Each dot a link to the report's public page, with its subject as accessible name.
        let dots = open.compactMap { s in s.position.map { AreaMap.LinkedDot(position: $0, href: Site.tracking.link(s.trackingCode),
                                                                              label: req.t("map.area.signalDot", names[s.$category.id] ?? "", s.trackingCode)) } }
        guard !dots.isEmpty else { return nil }
        return AreaMapOverlay(svg: AreaMap.linkedDots(dots, bounds: bounds), caption: req.t("map.area.signals", String(dots.count)))
    }
}

import Vapor
import Fluent
import Domain

/// The signals block of the public area page: the last twelve months as counts and handling time (no personal data).
struct SignalsAreaSection: AreaPageSection {
    struct Context: Encodable { var signals: SignalStatistics.Line?; var reportHref: String }

    func html(_ context: AreaPageContext, req: Request) async throws -> String? {
        let now = req.application.clock()
        var filter = SignalFilter(municipality: context.municipality.id)
        filter.area = context.area.id
        let rows = try await SignalStatistics.cachedRows(filter, now: now, app: req.application)
        let line = rows.isEmpty ? nil : SignalStatistics.line("", rows, now: now, language: req.language)
        return try await req.renderHTML("Signals/area-section", Context(
            signals: line, reportHref: Site.report.link(context.municipality.slug) + "?gebied=" + context.area.slug))
    }
}

/// Open signals in public categories of the last 12 weeks, as dots on the area's map (no personal data).
struct SignalDotsLayer: AreaMapLayer {
    func overlay(_ context: AreaPageContext, req: Request) async throws -> AreaMapOverlay? {
        guard let bounds = context.bounds else { return nil }
        let publicCategories = try await SignalCategory.query(on: req.db).filter(\.$municipality.$id == context.municipality.id).filter(\.$isPublic == true).all(\.$id)
        guard !publicCategories.isEmpty else { return nil }
        let open = try await Signal.query(on: req.db).filter(\.$area.$id == context.area.id).filter(\.$category.$id ~~ publicCategories)
            .filter(\.$state ~~ SignalJobs.openStates).filter(\.$reportedAt >= req.application.clock().addingTimeInterval(-SignalRules.nearbyWindow))
            .filter(\.$lat != nil).field(\.$lat).field(\.$lon).field(\.$id).limit(500).all()
        let positions = open.compactMap(\.position)
        guard !positions.isEmpty else { return nil }
        return AreaMapOverlay(svg: AreaMap.dots(positions, bounds: bounds), caption: req.t("map.area.signals", String(positions.count)))
    }
}

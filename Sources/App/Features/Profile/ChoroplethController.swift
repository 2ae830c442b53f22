import Vapor
import Fluent
import Domain

/// A map of the municipality coloured by any indicator (server-rendered SVG with a legend, the same figures in a
/// table), and a GeoJSON of the areas with chosen indicators for GIS users.
struct ChoroplethController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.access(.public).get(Site.indicatorMap.route, use: page)
        routes.access(.public).get(Site.indicatorGeoJSON.route, use: geoJSON)
    }

    struct Page: Encodable {
        struct Legend: Encodable { var swatch: String; var text: String }
        struct Row: Encodable { var area: String; var href: String; var value: String; var klass: String }
        var page: PageMeta; var heading: String; var intro: String; var field: FieldView; var map: String?; var legend: [Legend]; var rows: [Row]
        var indicatorName: String; var geoJSONHref: String; var definition: String
    }

    func page(req: Request) async throws -> View {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        let lang = req.language
        let latest = try await AreaProfileService.latest(s, now: req.application.clock(), on: req.db, cache: req.application.profileCache)
        let available = IndicatorCatalogue.all.filter { i in latest.values.contains { $0[i.key] != nil } }
        let chosen = available.first { $0.key == req.query[String.self, at: "cijfer"] } ?? available.first { $0.key == "inhabitants" } ?? available.first
        var map: String? = nil, legend: [Page.Legend] = [], rows: [Page.Row] = []
        if let chosen {
            let values = s.areas.map { latest[$0.id]?[chosen.key] }
            let classes = ChoroplethClasses.classes(values)
            let format = { (v: Double) in AreaProfilePage.format(v, unit: chosen.unit, lang) }
            let shapes = zip(s.areas, classes.classOf).map { area, k in
                AreaMap.Shape(href: Site.areaProfile.link(s.slug, area.slug), label: area.name,
                              accessibleName: req.t("choropleth.areaName", area.name, latest[area.id]?[chosen.key].map(format) ?? req.t("profile.noFigure")),
                              geometry: area.outline, colour: 0, fill: k.map { "ww-map__area--q\($0)" } ?? "ww-map__area--none")
            }
            if let bounds = s.bounds {
                map = AreaMap.svg(id: "kaart-cijfer", title: req.t("choropleth.mapTitle", req.t("indicator.\(chosen.key)"), s.name),
                                  description: req.t("choropleth.mapDescription"), shapes: shapes, bounds: bounds)
            }
            if classes.bounds.count >= 2 {
                legend = (0..<(classes.bounds.count - 1)).map { i in .init(swatch: "ww-legend-swatch--q\(i)", text: format(classes.bounds[i]) + " – " + format(classes.bounds[i + 1])) }
            }
            if classes.classOf.contains(where: { $0 == nil }) { legend.append(.init(swatch: "ww-legend-swatch--none", text: req.t("profile.noFigure"))) }
            rows = zip(s.areas, zip(values, classes.classOf)).map { area, pair in
                .init(area: area.name, href: Site.areaProfile.link(s.slug, area.slug), value: pair.0.map(format) ?? req.t("profile.noFigure"),
                      klass: pair.1.map { String($0 + 1) } ?? "–")
            }
        }
        let heading = req.t("choropleth.title", s.name)
        return try await req.view.render("Profile/map", Page(
            page: req.page(heading, municipality: s.name, crumbs: [(s.name, Paths.municipality(s.slug))]), heading: heading, intro: req.t("choropleth.intro"),
            field: FieldView(req, name: "cijfer", label: req.t("choropleth.choose"), type: "select", value: chosen?.key ?? "",
                             options: available.map { ($0.key, req.t("indicator.\($0.key)")) }),
            map: map, legend: legend, rows: rows, indicatorName: chosen.map { req.t("indicator.\($0.key)") } ?? "",
            geoJSONHref: Site.indicatorGeoJSON.link(s.slug) + "?cijfers=" + (chosen?.key ?? ""),
            definition: chosen.map { req.t("indicator.\($0.key).definition") } ?? ""))
    }

    /// The areas' outlines with the latest figure of each chosen indicator (`?cijfers=a,b`; all when absent).
    func geoJSON(req: Request) async throws -> Response {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        let latest = try await AreaProfileService.latest(s, now: req.application.clock(), on: req.db, cache: req.application.profileCache)
        let asked = (req.query[String.self, at: "cijfers"] ?? "").split(separator: ",").map(String.init)
        let keys = asked.isEmpty ? IndicatorCatalogue.all.map(\.key) : asked
        guard keys.allSatisfy({ IndicatorCatalogue.indicator($0) != nil }) else { throw AppError.badRequest("choropleth.unknownIndicator", [asked.joined(separator: ",")]) }
        let features: [[String: Any]] = s.areas.map { a in
            var properties: [String: Any] = ["name": a.name, "slug": a.slug, "municipality": s.code]
            for key in keys { properties[key] = latest[a.id]?[key] ?? NSNull() }
            return ["type": "Feature", "id": a.id.uuidString, "geometry": GeoJSON.geometryObject(a.outline, forceMulti: true), "properties": properties]
        }
        let data = try JSONSerialization.data(withJSONObject: ["type": "FeatureCollection", "features": features], options: [.sortedKeys])
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "application", subType: "geo+json")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}

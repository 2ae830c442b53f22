import Vapor
import Fluent
import Domain

/// The public pages: municipalities, a municipality with its map of areas, an area.
struct PublicAreasController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let routes = routes.access(.public)
        routes.get(Site.home.route, use: home)
        routes.get(Site.municipality.route, use: municipality)
        routes.get(Site.area.route, use: area)
    }

    struct HomePage: Encodable {
        struct Item: Encodable { var name: String; var href: String; var code: String; var areas: Int; var inhabitants: String }
        var page: PageMeta
        var municipalities: [Item]
    }

    func home(req: Request) async throws -> View {
        let rows = try await Municipality.query(on: req.db).sort(\.$name).all()
        var items: [HomePage.Item] = []
        for m in rows {
            let snapshot = try await req.areas.snapshot(for: m, on: req.db)
            items.append(.init(name: m.name, href: Paths.municipality(m.slug), code: m.code, areas: snapshot.areas.count,
                               inhabitants: Format.number(m.inhabitants, req.language)))
        }
        return try await req.view.render("Areas/home", HomePage(page: req.page(req.t("home.title")), municipalities: items))
    }

    struct AreaRow: Encodable {
        var name: String
        var href: String
        var kind: String
        var inhabitants: String
        var dwellings: String
        var neighbourhoods: Int
        var partial: Bool
    }

    struct MunicipalityPage: Encodable {
        var page: PageMeta
        var name: String
        var code: String
        var map: String
        var areas: [AreaRow]
        var inhabitants: String
        var dwellings: String
        var year: String
        var areaCount: Int
        var mixingPanelHref: String
        var calendarHref: String
        var adviceHref: String
        var reportHref: String
        var themeGroupsHref: String
        var cycleHref: String
        var sections: [String]
    }

    static func kindLabel(_ kind: AreaKind, _ req: Request) -> String { req.t("area.kind.\(kind.rawValue)") }

    func municipality(req: Request) async throws -> View {
        var sections: [String] = []
        let s = try await req.snapshot(req.parameters.get("municipality")!)
        let rows = s.areas.map { a in
            AreaRow(name: a.name, href: Paths.area(s.slug, a.slug), kind: Self.kindLabel(a.kind, req),
                    inhabitants: Format.number(a.figures.figures.inhabitants, req.language),
                    dwellings: Format.number(a.figures.figures.dwellings, req.language),
                    neighbourhoods: a.neighbourhoodCodes.count, partial: !a.figures.splitDistricts.isEmpty)
        }
        let map = req.areas.map("m-\(s.id)-\(s.version)-\(req.language.rawValue)") {
            let shapes = s.areas.map { a in
                AreaMap.Shape(href: Paths.area(s.slug, a.slug), label: a.name,
                              accessibleName: req.t("map.areaLink", a.name, Self.kindLabel(a.kind, req), Format.number(a.figures.figures.inhabitants, req.language)),
                              geometry: a.outline, colour: a.colour)
            }
            return s.bounds.map {
                AreaMap.svg(id: "kaart", title: req.t("map.municipality.title", s.name),
                            description: req.t("map.municipality.description", String(s.areas.count)), shapes: shapes, bounds: $0)
            } ?? ""
        }
        for section in req.application.areaPage.municipalitySections { if let html = try await section.html(s, req: req) { sections.append(html) } }
        let context = MunicipalityPage(
            page: req.page(req.t("municipality.heading", s.name)),
            name: s.name, code: s.code, map: map, areas: rows,
            inhabitants: Format.number(s.inhabitants, req.language), dwellings: Format.number(s.dwellings, req.language),
            year: s.figuresYear.map(String.init) ?? "", areaCount: s.areas.count, mixingPanelHref: Paths.mixingPanels(s.slug),
            calendarHref: Site.meetings.link(s.slug), adviceHref: Site.adviceRegister.link(s.slug),
            reportHref: Site.report.link(s.slug), themeGroupsHref: Site.themeGroups.link(s.slug), cycleHref: Site.municipalityCycle.link(s.slug),
            sections: sections)
        return try await req.view.render("Areas/municipality", context)
    }

    struct AreaPage: Encodable {
        struct Contact: Encodable { var role: String; var names: String }
        struct DistrictRow: Encodable { var code: String; var name: String; var inhabitants: String; var men: String; var women: String; var density: String; var dwellings: String; var landHa: String; var whole: Bool }
        struct Overlap: Encodable { var classification: String; var groups: String }
        var page: PageMeta
        var name: String
        var kind: String
        var municipalityName: String
        var municipalityHref: String
        var map: String
        var inhabitants: String
        var dwellings: String
        var density: String
        var landHa: String
        var year: String
        var hasFigures: Bool
        var splitNote: String?
        var contacts: [Contact]
        var districts: [DistrictRow]
        var neighbourhoods: [String]
        var overlaps: [Overlap]
        var reportHref: String
        /// Sections of other features (council, signals, …), in order, as HTML from their own templates.
        var sections: [String]
        var mapCaptions: [String]
    }

    func area(req: Request) async throws -> View {
        let s = try await req.snapshot(req.parameters.get("municipality")!)
        guard let a = s.area(slug: req.parameters.get("area")!) else { throw AppError.notFound("error.areaNotFound") }
        let own = s.neighbourhoods(of: a.id)
        let lang = req.language
        var map = req.areas.map("a-\(a.id)-\(s.version)-\(lang.rawValue)") {
            let colours = MapColouring.colours(own.map(\.geometry))
            let shapes = own.enumerated().map { i, n in
                AreaMap.Shape(href: nil, label: n.name, accessibleName: n.name, geometry: n.geometry, colour: colours[i])
            }
            let bounds = own.compactMap { $0.geometry.boundingBox }.reduce(nil as BoundingBox?) { $0?.union($1) ?? $1 }
            return bounds.map {
                AreaMap.svg(id: "kaart", title: req.t("map.area.title", a.name),
                            description: req.t("map.area.description", String(own.count)), shapes: shapes, bounds: $0, showLabels: own.count <= 12)
            } ?? ""
        }
        let bounds = own.compactMap({ $0.geometry.boundingBox }).reduce(nil as BoundingBox?, { $0?.union($1) ?? $1 })
        let sectionContext = AreaPageContext(municipality: s, area: a, bounds: bounds)
        var mapCaptions: [String] = []
        for layer in req.application.areaPage.mapLayers {
            guard let overlay = try await layer.overlay(sectionContext, req: req), let end = map.range(of: "</svg>", options: .backwards) else { continue }
            map.insert(contentsOf: overlay.svg, at: end.lowerBound)
            // With links on it the map is a group of links, not an image (an image cannot hold controls).
            if overlay.svg.contains("<a ") { map = map.replacingOccurrences(of: "role=\"img\"", with: "role=\"group\"") }
            mapCaptions.append(overlay.caption)
        }
        var sections: [String] = []
        for section in req.application.areaPage.sections {
            if let html = try await section.html(sectionContext, req: req) { sections.append(html) }
        }
        let districtRows = s.districts.filter { d in d.neighbourhoodCodes.contains(where: a.neighbourhoodCodes.contains) }.map { d in
            AreaPage.DistrictRow(code: d.code, name: d.name, inhabitants: Format.number(d.figures.inhabitants, lang),
                                 men: Format.number(d.figures.men, lang), women: Format.number(d.figures.women, lang),
                                 density: Format.number(d.density, lang), dwellings: Format.number(d.figures.dwellings, lang),
                                 landHa: Format.number(d.figures.areaLandHa, lang), whole: a.figures.wholeDistricts.contains(d.code))
        }
        let contacts = try await AreaContacts.contacts(of: a.id, on: req.db).map {
            AreaPage.Contact(role: req.t("role.\($0.role.rawValue)"), names: $0.names.joined(separator: ", "))
        }
        let overlaps = try await ClassificationService.overlaps(area: a, snapshot: s, on: req.db).map {
            AreaPage.Overlap(classification: $0.classification, groups: $0.groups.map { req.tCount("classification.overlapGroup", $0.shared, $0.name) }.joined(separator: "; "))
        }
        let f = a.figures.figures
        let context = AreaPage(
            page: req.page(a.name, municipality: s.name, crumbs: [(req.t("municipality.heading", s.name), Paths.municipality(s.slug))]),
            name: a.name, kind: Self.kindLabel(a.kind, req), municipalityName: s.name, municipalityHref: Paths.municipality(s.slug),
            map: map, inhabitants: Format.number(f.inhabitants, lang), dwellings: Format.number(f.dwellings, lang),
            density: Format.number(a.figures.wholeDistricts.count == 1 ? s.districts.first { $0.code == a.figures.wholeDistricts[0] }?.density : f.density, lang), landHa: Format.number(f.areaLandHa, lang),
            year: s.figuresYear.map(String.init) ?? "", hasFigures: f.inhabitants != nil,
            splitNote: a.figures.splitDistricts.isEmpty ? nil : req.t("area.splitNote", a.figures.splitDistricts.joined(separator: ", ")),
            contacts: contacts, districts: districtRows, neighbourhoods: own.map { "\($0.name) (\($0.code))" }, overlaps: overlaps,
            reportHref: Site.report.link(s.slug) + "?gebied=" + a.slug, sections: sections, mapCaptions: mapCaptions)
        return try await req.view.render("Areas/area", context)
    }
}

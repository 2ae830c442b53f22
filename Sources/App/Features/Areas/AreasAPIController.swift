import Vapor
import Fluent
import Domain

/// JSON API under /api/v1 for municipalities, areas, CBS wijken and buurten, GeoJSON and locate.
struct AreasAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.access(.public).grouped("api", "v1")
        api.get("openapi.json", use: openAPI)
        api.get("municipalities", use: municipalities)
        api.get("municipalities", ":code", use: municipality)
        api.get("municipalities", ":code", "geometry", use: municipalityGeometry)
        api.get("areas", use: areas)
        api.get("areas", ":id", use: area)
        api.get("areas", ":id", "geometry", use: areaGeometry)
        api.get("districts", use: districts)
        api.get("neighbourhoods", use: neighbourhoods)
        api.get("locate", use: locate)
    }

    struct MunicipalityDTO: Content { var code: String; var name: String; var slug: String; var inhabitants: Int?; var dwellings: Int?; var figuresYear: Int?; var areaCount: Int }
    struct FiguresDTO: Content { var inhabitants: Int?; var men: Int?; var women: Int?; var dwellings: Int?; var density: Int?; var areaLandHa: Int?; var areaWaterHa: Int?; var areaTotalHa: Int? }
    struct AreaDTO: Content {
        var id: UUID; var municipality: String; var name: String; var slug: String; var kind: AreaKind
        var neighbourhoods: [String]; var figures: FiguresDTO; var splitDistricts: [String]; var url: String
    }
    struct DistrictDTO: Content { var code: String; var name: String; var municipality: String; var year: Int; var figures: FiguresDTO; var neighbourhoods: [String] }
    struct NeighbourhoodDTO: Content { var code: String; var name: String; var municipality: String; var district: String; var area: UUID? }
    struct LocateDTO: Content {
        struct Ref: Content { var code: String; var name: String }
        struct AreaRef: Content { var id: UUID; var name: String; var slug: String }
        var neighbourhood: Ref; var district: Ref; var municipality: Ref; var area: AreaRef?
    }

    static func figures(_ f: KeyFigures, density: Int? = nil) -> FiguresDTO {
        FiguresDTO(inhabitants: f.inhabitants, men: f.men, women: f.women, dwellings: f.dwellings, density: density ?? f.density,
                   areaLandHa: f.areaLandHa, areaWaterHa: f.areaWaterHa, areaTotalHa: f.areaTotalHa)
    }

    func openAPI(req: Request) async throws -> Response {
        try await req.fileio.asyncStreamFile(at: req.application.directory.resourcesDirectory + "openapi.json",
                                             mediaType: .json)
    }

    func municipalities(req: Request) async throws -> [MunicipalityDTO] {
        var out: [MunicipalityDTO] = []
        for m in try await Municipality.query(on: req.db).sort(\.$code).all() {
            out.append(try await dto(m, req))
        }
        return out
    }

    private func dto(_ m: Municipality, _ req: Request) async throws -> MunicipalityDTO {
        let s = try await req.areas.snapshot(for: m, on: req.db)
        return MunicipalityDTO(code: m.code, name: m.name, slug: m.slug, inhabitants: m.inhabitants, dwellings: m.dwellings,
                               figuresYear: m.figuresYear, areaCount: s.areas.count)
    }

    func municipality(req: Request) async throws -> MunicipalityDTO {
        try await dto(try await req.municipality(try code(req)), req)
    }

    /// A CBS municipality code (GM0828) or slug from the path, checked.
    private func code(_ req: Request) throws -> String {
        let raw = req.parameters.get("code") ?? ""
        guard CBSCode.level(of: raw) == .municipality || raw.allSatisfy({ $0.isLetter || $0 == "-" }) else {
            throw AppError.badRequest("api.municipalityCode", [raw])
        }
        return raw
    }

    /// The optional ?municipality= filter: a GM code; unknown codes are a 404, malformed ones a 400.
    private func snapshots(_ req: Request) async throws -> [MunicipalitySnapshot] {
        if let raw = req.query[String.self, at: "municipality"] {
            guard CBSCode.level(of: raw) == .municipality else { throw AppError.badRequest("api.municipalityCode", [raw]) }
            return [try await req.snapshot(raw)]
        }
        var out: [MunicipalitySnapshot] = []
        for m in try await Municipality.query(on: req.db).sort(\.$code).all() { out.append(try await req.areas.snapshot(for: m, on: req.db)) }
        return out
    }

    private func areaDTO(_ a: MunicipalitySnapshot.AreaInfo, _ s: MunicipalitySnapshot) -> AreaDTO {
        AreaDTO(id: a.id, municipality: s.code, name: a.name, slug: a.slug, kind: a.kind, neighbourhoods: a.neighbourhoodCodes,
                figures: Self.figures(a.figures.figures), splitDistricts: a.figures.splitDistricts, url: Paths.area(s.slug, a.slug))
    }

    func areas(req: Request) async throws -> [AreaDTO] {
        try await snapshots(req).flatMap { s in s.areas.map { areaDTO($0, s) } }
    }

    private func findArea(_ req: Request) async throws -> (MunicipalitySnapshot.AreaInfo, MunicipalitySnapshot) {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AppError.badRequest("api.areaID") }
        guard let row = try await Area.find(id, on: req.db) else { throw AppError.notFound("error.areaNotFound") }
        let m = try await row.$municipality.get(on: req.db)
        let s = try await req.areas.snapshot(for: m, on: req.db)
        guard let a = s.areas.first(where: { $0.id == id }) else { throw AppError.notFound("error.areaNotFound") }
        return (a, s)
    }

    func area(req: Request) async throws -> AreaDTO {
        let (a, s) = try await findArea(req)
        return areaDTO(a, s)
    }

    /// GeoJSON of an area: its buurten as one MultiPolygon, or (?outline=true) their dissolved outline.
    func areaGeometry(req: Request) async throws -> Response {
        let outline = try outlineFlag(req)
        let (a, s) = try await findArea(req)
        let geometry = outline ? a.outline : MultiPolygon(s.neighbourhoods(of: a.id).flatMap(\.geometry.polygons))
        return try geoJSON(feature: geometry, id: a.id.uuidString, properties: ["name": a.name, "municipality": s.code, "kind": a.kind.rawValue])
    }

    private func outlineFlag(_ req: Request) throws -> Bool {
        guard let raw = req.query[String.self, at: "outline"] else { return false }
        switch raw { case "true", "1": return true; case "false", "0": return false
        default: throw AppError.badRequest("api.outlineFlag") }
    }

    /// GeoJSON FeatureCollection of a municipality's areas (outlines).
    func municipalityGeometry(req: Request) async throws -> Response {
        let s = try await req.snapshot(try code(req))
        let features: [[String: Any]] = s.areas.map { a in
            ["type": "Feature", "id": a.id.uuidString, "geometry": GeoJSON.geometryObject(a.outline, forceMulti: true),
             "properties": ["name": a.name, "slug": a.slug, "kind": a.kind.rawValue, "municipality": s.code]]
        }
        return try json(["type": "FeatureCollection", "features": features])
    }

    private func geoJSON(feature geometry: MultiPolygon, id: String, properties: [String: String]) throws -> Response {
        try json(["type": "Feature", "id": id, "geometry": GeoJSON.geometryObject(geometry, forceMulti: true), "properties": properties])
    }

    private func json(_ object: [String: Any]) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "application", subType: "geo+json")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }

    func districts(req: Request) async throws -> [DistrictDTO] {
        try await snapshots(req).flatMap { s in
            s.districts.map { DistrictDTO(code: $0.code, name: $0.name, municipality: s.code, year: $0.year,
                                          figures: Self.figures($0.figures, density: $0.density), neighbourhoods: $0.neighbourhoodCodes) }
        }
    }

    func neighbourhoods(req: Request) async throws -> [NeighbourhoodDTO] {
        let areaFilter: UUID?
        if let raw = req.query[String.self, at: "area"] {
            guard let id = UUID(uuidString: raw) else { throw AppError.badRequest("api.areaID") }
            areaFilter = id
        } else { areaFilter = nil }
        return try await snapshots(req).flatMap { s in
            s.neighbourhoods.filter { areaFilter == nil || $0.areaID == areaFilter }.map {
                NeighbourhoodDTO(code: $0.code, name: $0.name, municipality: s.code, district: $0.districtCode, area: $0.areaID)
            }
        }
    }

    /// The buurt, wijk, municipality and area that contain a point.
    func locate(req: Request) async throws -> LocateDTO {
        let position = try Self.position(lat: req.query[String.self, at: "lat"], long: req.query[String.self, at: "long"])
        guard let result = try await LocateService.locate(position, on: req) else { throw AppError.notFound("api.locate.outside") }
        return result
    }

    /// Parses and range-checks coordinates given as text.
    static func position(lat: String?, long: String?) throws -> Position {
        guard let latText = lat, !latText.isEmpty, let longText = long, !longText.isEmpty else { throw AppError.badRequest("api.locate.missing") }
        guard Input.isDecimal(latText), Input.isDecimal(longText), let la = Double(latText), let lo = Double(longText), la.isFinite, lo.isFinite else {
            throw AppError.badRequest("api.locate.notNumbers")
        }
        guard (-90...90).contains(la), (-180...180).contains(lo) else { throw AppError.badRequest("api.locate.outOfRange") }
        return Position(lon: lo, lat: la)
    }
}

/// The one lookup from a point to buurt, wijk, municipality and area, used by every feature.
enum LocateService {
    static func locate(_ p: Position, on req: Request) async throws -> AreasAPIController.LocateDTO? {
        let index = try await req.areas.locator(on: req.db)
        guard let id = index.locator.locate(p), let municipalityID = index.municipalityOf[id],
              let m = try await Municipality.find(municipalityID, on: req.db) else { return nil }
        let s = try await req.areas.snapshot(for: m, on: req.db)
        guard let n = s.neighbourhoods.first(where: { $0.id == id }) else { return nil }
        let district = s.districts.first { $0.code == n.districtCode }
        let area = n.areaID.flatMap { areaID in s.areas.first { $0.id == areaID } }
        return .init(neighbourhood: .init(code: n.code, name: n.name), district: .init(code: n.districtCode, name: district?.name ?? ""),
                     municipality: .init(code: s.code, name: s.name),
                     area: area.map { .init(id: $0.id, name: $0.name, slug: $0.slug) })
    }
}

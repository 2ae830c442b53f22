import Vapor
import Fluent
import SQLKit
import NIOConcurrencyHelpers
import Domain

/// Everything the public pages need of one municipality's division, read once per version of its areas
/// and kept in memory. Any change to areas or the buurt mapping raises the municipality's `mappingVersion`.
struct MunicipalitySnapshot: Sendable {
    struct AreaInfo: Sendable {
        var id: UUID
        var name: String
        var slug: String
        var kind: AreaKind
        var position: Int
        var neighbourhoodCodes: [String]
        var figures: AreaFigures
        var outline: MultiPolygon
        var colour: Int
    }
    struct DistrictInfo: Sendable {
        var id: UUID
        var code: String
        var name: String
        var figures: KeyFigures
        var density: Int?
        var year: Int
        var neighbourhoodCodes: [String]
    }
    struct NeighbourhoodInfo: Sendable {
        var id: UUID
        var code: String
        var name: String
        var districtCode: String
        var areaID: UUID?
        var geometry: MultiPolygon
    }

    var id: UUID
    var code: String
    var name: String
    var slug: String
    var inhabitants: Int?
    var dwellings: Int?
    var figuresYear: Int?
    var version: Int
    var areas: [AreaInfo]
    var districts: [DistrictInfo]
    var neighbourhoods: [NeighbourhoodInfo]
    var bounds: BoundingBox?

    func area(slug: String) -> AreaInfo? { areas.first { $0.slug == slug } }
    func neighbourhoods(of area: UUID) -> [NeighbourhoodInfo] { neighbourhoods.filter { $0.areaID == area } }
    var unassigned: [NeighbourhoodInfo] { neighbourhoods.filter { $0.areaID == nil } }
}

/// The in-memory cache of snapshots and the buurt locator.
final class AreaDirectory: Sendable {
    private let snapshots = NIOLockedValueBox<[UUID: MunicipalitySnapshot]>([:])
    /// The buurt locator and, per buurt, its municipality.
    struct LocatorIndex: Sendable {
        var locator: Locator<UUID>
        var municipalityOf: [UUID: UUID]
    }

    /// One build at a time: concurrent first lookups wait for the same build instead of each starting one.
    private let locatorTask = NIOLockedValueBox<Task<LocatorIndex, any Error>?>(nil)

    /// The snapshot for this municipality row; rebuilt when its version changed.
    func snapshot(for m: Municipality, on db: any Database) async throws -> MunicipalitySnapshot {
        let id = try m.requireID()
        if let cached = snapshots.withLockedValue({ $0[id] }), cached.version == m.mappingVersion { return cached }
        let built = try await Self.build(m, on: db)
        snapshots.withLockedValue { $0[id] = built }
        return built
    }


    /// Rendered maps, keyed by what they depend on (municipality or area, division version, language).
    private let maps = NIOLockedValueBox<[String: String]>([:])

    func map(_ key: String, render: () -> String) -> String {
        if let cached = maps.withLockedValue({ $0[key] }) { return cached }
        let svg = render()
        maps.withLockedValue { cache in
            if cache.count > 10_000 { cache.removeAll() }
            cache[key] = svg
        }
        return svg
    }

    /// The locator over every buurt of every municipality (buurt boundaries do not change while running).
    func locator(on db: any Database) async throws -> LocatorIndex {
        let task = locatorTask.withLockedValue { current in
            if let current { return current }
            let task = Task { try await Self.buildLocator(on: db) }
            current = task
            return task
        }
        do {
            return try await task.value
        } catch {
            locatorTask.withLockedValue { $0 = nil }
            throw error
        }
    }

    private static func buildLocator(on db: any Database) async throws -> LocatorIndex {
        let rows = try await Neighbourhood.query(on: db).sort(\.$code).all()
        let regions: [(id: UUID, geometry: MultiPolygon)] = try rows.map { n in
            (id: try n.requireID(), geometry: try GeoJSON.decodeGeometry(Data(n.geometry.utf8)))
        }
        return LocatorIndex(locator: Locator(regions),
                            municipalityOf: Dictionary(uniqueKeysWithValues: try rows.map { (try $0.requireID(), $0.$municipality.id) }))
    }

    func resetLocator() { locatorTask.withLockedValue { $0 = nil } }

    private static func build(_ m: Municipality, on db: any Database) async throws -> MunicipalitySnapshot {
        let mid = try m.requireID()
        async let areaRows = Area.query(on: db).filter(\.$municipality.$id == mid).sort(\.$position).sort(\.$name).all()
        async let districtRows = District.query(on: db).filter(\.$municipality.$id == mid).sort(\.$code).all()
        async let neighbourhoodRows = Neighbourhood.query(on: db).filter(\.$municipality.$id == mid).sort(\.$code).all()
        let (areas, districts, neighbourhoods) = try await (areaRows, districtRows, neighbourhoodRows)

        let districtCode = Dictionary(uniqueKeysWithValues: try districts.map { (try $0.requireID(), $0.code) })
        let ns: [MunicipalitySnapshot.NeighbourhoodInfo] = try neighbourhoods.map { n in
            .init(id: try n.requireID(), code: n.code, name: n.name, districtCode: districtCode[n.$district.id] ?? "",
                  areaID: n.$area.id, geometry: try GeoJSON.decodeGeometry(Data(n.geometry.utf8)))
        }
        let ds: [MunicipalitySnapshot.DistrictInfo] = try districts.map { d in
            .init(id: try d.requireID(), code: d.code, name: d.name, figures: d.figures, density: d.density, year: d.figuresYear,
                  neighbourhoodCodes: ns.filter { $0.districtCode == d.code }.map(\.code))
        }
        let districtInput = ds.map { (code: $0.code, neighbourhoods: $0.neighbourhoodCodes, figures: $0.figures) }
        var infos: [MunicipalitySnapshot.AreaInfo] = try areas.map { a in
            let id = try a.requireID()
            let own = ns.filter { $0.areaID == id }
            return .init(id: id, name: a.name, slug: a.slug, kind: a.kind, position: a.position, neighbourhoodCodes: own.map(\.code),
                         figures: AreaFigures.compute(areaNeighbourhoods: Set(own.map(\.code)), districts: districtInput),
                         outline: Dissolve.outline(own.map(\.geometry)), colour: 0)
        }
        let colours = MapColouring.colours(infos.map(\.outline))
        for i in infos.indices { infos[i].colour = colours[i] }
        let bounds = ns.compactMap { $0.geometry.boundingBox }.reduce(nil as BoundingBox?) { $0?.union($1) ?? $1 }
        return MunicipalitySnapshot(id: mid, code: m.code, name: m.name, slug: m.slug, inhabitants: m.inhabitants, dwellings: m.dwellings,
                                    figuresYear: m.figuresYear, version: m.mappingVersion, areas: infos, districts: ds,
                                    neighbourhoods: ns, bounds: bounds)
    }
}

extension Application {
    private struct AreaDirectoryKey: StorageKey { typealias Value = AreaDirectory }
    var areaDirectory: AreaDirectory {
        if let d = storage[AreaDirectoryKey.self] { return d }
        let d = AreaDirectory()
        storage[AreaDirectoryKey.self] = d
        return d
    }
}

extension Request {
    var areas: AreaDirectory { application.areaDirectory }

    /// The municipality with this slug or CBS code, or a 404 in the user's language.
    func municipality(_ key: String) async throws -> Municipality {
        let printable = key.count <= 80 && !key.unicodeScalars.contains { $0.properties.generalCategory == .control }
        guard printable else { throw AppError.notFound("error.notFound") }
        let m = try await Municipality.query(on: db).group(.or) { $0.filter(\.$slug == key.lowercased()).filter(\.$code == key.uppercased()) }.first()
        guard let m else { throw AppError.notFound("error.municipalityNotFound", [key]) }
        return m
    }

    /// The municipality of an admin page's path, after checking the user may administer it.
    func adminMunicipality() async throws -> Municipality {
        try await municipality { .administer(municipality: $0) }
    }

    /// The municipality a staff page without one in its path is about: the user's own; for an installation
    /// admin the one chosen with `?gemeente=` (slug or CBS code), else the first by name. Never a built-in default.
    func workMunicipality() async throws -> Municipality {
        let actor = try await actor()
        if let id = actor.municipalityID, let m = try await Municipality.find(id, on: db) { return m }
        if let key = query[String.self, at: "gemeente"], !key.isEmpty { return try await municipality(key) }
        guard let first = try await Municipality.query(on: db).sort(\.$name).first() else { throw AppError.notFound("municipality.notFound") }
        return first
    }

    /// The municipality of the path's `:municipality`, after checking the signed-in user may do `action` there.
    func municipality(authorizing action: (UUID) -> Domain.Action) async throws -> Municipality {
        let m = try await municipality(parameters.get("municipality") ?? "")
        try await authorize(action(try m.requireID()))
        return m
    }

    func snapshot(_ key: String) async throws -> MunicipalitySnapshot {
        try await areas.snapshot(for: try await municipality(key), on: db)
    }

    /// The municipality and area of the path's `:municipality` and `:area` (a 404 for an unknown area).
    func areaFromPath() async throws -> (MunicipalitySnapshot, MunicipalitySnapshot.AreaInfo) {
        let s = try await snapshot(parameters.get("municipality") ?? "")
        guard let area = s.area(slug: parameters.get("area") ?? "") else { throw AppError.notFound("error.areaNotFound") }
        return (s, area)
    }
}

extension Municipality {
    /// Raises the version so every cached view of the division is rebuilt. With `expected`, only when the
    /// version is still that one (optimistic concurrency); returns whether it was raised.
    @discardableResult
    static func bumpDivisionVersion(_ m: Municipality, expected: Int? = nil, on db: any Database) async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let id = try m.requireID()
        let rows: [SQLRow]
        if let expected {
            rows = try await sql.raw("UPDATE municipalities SET mapping_version = mapping_version + 1 WHERE id = \(bind: id) AND mapping_version = \(bind: expected) RETURNING mapping_version").all()
        } else {
            rows = try await sql.raw("UPDATE municipalities SET mapping_version = mapping_version + 1 WHERE id = \(bind: id) RETURNING mapping_version").all()
        }
        return rows.count == 1
    }
}

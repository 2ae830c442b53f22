import Vapor
import Fluent
import Domain

final class Municipality: Model, @unchecked Sendable {
    static let schema = "municipalities"
    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "slug") var slug: String
    @Field(key: "mapping_version") var mappingVersion: Int
    /// Whether this municipality's staff must log in in two steps (set by an administrator).
    @OptionalField(key: "requires_totp") var requiresTOTPValue: Bool?
    var requiresTOTP: Bool {
        get { requiresTOTPValue ?? false }
        set { requiresTOTPValue = newValue }
    }
    @OptionalField(key: "inhabitants") var inhabitants: Int?
    @OptionalField(key: "dwellings") var dwellings: Int?
    @OptionalField(key: "figures_year") var figuresYear: Int?
    init() {}
}

/// A CBS wijk with its key figures.
final class District: Model, @unchecked Sendable {
    static let schema = "districts"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @OptionalField(key: "inhabitants") var inhabitants: Int?
    @OptionalField(key: "men") var men: Int?
    @OptionalField(key: "women") var women: Int?
    @OptionalField(key: "density") var density: Int?
    @OptionalField(key: "dwellings") var dwellings: Int?
    @OptionalField(key: "area_total_ha") var areaTotalHa: Int?
    @OptionalField(key: "area_land_ha") var areaLandHa: Int?
    @OptionalField(key: "area_water_ha") var areaWaterHa: Int?
    @Field(key: "figures_year") var figuresYear: Int
    @OptionalField(key: "geometry") var geometry: String?
    init() {}

    var figures: KeyFigures {
        KeyFigures(inhabitants: inhabitants, men: men, women: women, dwellings: dwellings,
                   areaTotalHa: areaTotalHa, areaLandHa: areaLandHa, areaWaterHa: areaWaterHa)
    }
}

/// A CBS buurt: the smallest unit; each belongs to exactly one area of the canonical division.
final class Neighbourhood: Model, @unchecked Sendable {
    static let schema = "neighbourhoods"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Parent(key: "district_id") var district: District
    @OptionalParent(key: "area_id") var area: Area?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "geometry") var geometry: String
    @Field(key: "min_lon") var minLon: Double
    @Field(key: "min_lat") var minLat: Double
    @Field(key: "max_lon") var maxLon: Double
    @Field(key: "max_lat") var maxLat: Double
    init() {}

    /// Stores a boundary with the bounding box used to prefilter lookups.
    func setGeometry(_ geometry: MultiPolygon) throws {
        guard let box = geometry.boundingBox else { throw GeoJSON.Error.malformed("empty geometry for \(code)") }
        self.geometry = GeoJSON.encodeGeometry(geometry)
        minLon = box.minLon
        minLat = box.minLat
        maxLon = box.maxLon
        maxLat = box.maxLat
    }
}

/// A gebied: the level at which a council and a coordinator work, made of buurten.
final class Area: Model, @unchecked Sendable {
    static let schema = "areas"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Field(key: "name") var name: String
    @Field(key: "slug") var slug: String
    @Enum(key: "kind") var kind: AreaKind
    @Field(key: "position") var position: Int
    init() {}

    struct Snapshot: Codable { var name: String; var kind: String }
    var snapshot: Snapshot { Snapshot(name: name, kind: kind.rawValue) }
}

/// An alternative division used by a department or partner (e.g. "IBOR-districten"), mapped onto buurten.
final class Classification: Model, @unchecked Sendable {
    static let schema = "classifications"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Field(key: "name") var name: String
    @OptionalField(key: "owner") var owner: String?
    init() {}
}

final class ClassificationGroup: Model, @unchecked Sendable {
    static let schema = "classification_groups"
    @ID(key: .id) var id: UUID?
    @Parent(key: "classification_id") var classification: Classification
    @Field(key: "name") var name: String
    init() {}
}

/// Which group of a classification a buurt belongs to (at most one per classification).
final class ClassificationMember: Model, @unchecked Sendable {
    static let schema = "classification_members"
    @ID(key: .id) var id: UUID?
    @Parent(key: "classification_id") var classification: Classification
    @Parent(key: "group_id") var group: ClassificationGroup
    @Parent(key: "neighbourhood_id") var neighbourhood: Neighbourhood
    init() {}
}

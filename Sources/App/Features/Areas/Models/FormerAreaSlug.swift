import Vapor
import Fluent

/// The slugs an area had before it was renamed, so old links keep working (301 to the current address).
final class FormerAreaSlug: Model, @unchecked Sendable {
    static let schema = "former_area_slugs"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Parent(key: "area_id") var area: Area
    @Field(key: "slug") var slug: String
    @Field(key: "replaced_at") var replacedAt: Date
    init() {}

    /// Records the old slug after a rename; a slug that is an area's current one again stops redirecting.
    static func record(old: String, new: String, area: Area, at now: Date, on db: any Database) async throws {
        let m = area.$municipality.id
        try await FormerAreaSlug.query(on: db).filter(\.$municipality.$id == m).filter(\.$slug == new).delete()
        guard old != new else { return }
        try await FormerAreaSlug.query(on: db).filter(\.$municipality.$id == m).filter(\.$slug == old).delete()
        let former = FormerAreaSlug()
        former.$municipality.id = m
        former.$area.id = try area.requireID()
        former.slug = old
        former.replacedAt = now
        try await former.create(on: db)
    }
}

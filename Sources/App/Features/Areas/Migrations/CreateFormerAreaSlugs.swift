import Vapor
import Fluent

struct CreateFormerAreaSlugs: AsyncMigration {
    var name: String { "CreateFormerAreaSlugs" }
    func prepare(on db: any Database) async throws {
        try await db.schema(FormerAreaSlug.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id", onDelete: .cascade))
            .field("area_id", .uuid, .required, .references(Area.schema, "id", onDelete: .cascade))
            .field("slug", .string, .required)
            .field("replaced_at", .datetime, .required)
            .unique(on: "municipality_id", "slug")
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema(FormerAreaSlug.schema).delete() }
}

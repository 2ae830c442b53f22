import Vapor
import Fluent
import Domain

struct CreateCouncilTables: AsyncMigration {
    var name: String { "2026-11-23-06-create-council-tables" }
    func prepare(on db: any Database) async throws {
        try await db.schema(Council.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id"))
            .field("area_id", .uuid, .required, .references(Area.schema, "id"))
            .field("name", .string, .required)
            .field("demo", .bool, .required)
            .unique(on: "area_id")
            .create()
        try await db.schema(CouncilMeeting.schema)
            .id()
            .field("council_id", .uuid, .required, .references(Council.schema, "id", onDelete: .cascade))
            .field("starts_at", .datetime, .required)
            .field("ends_at", .datetime, .required)
            .field("place", .string, .required)
            .field("is_public", .bool, .required)
            .field("status", .string, .required)
            .create()
    }
    func revert(on db: any Database) async throws {
        try await db.schema(CouncilMeeting.schema).delete()
        try await db.schema(Council.schema).delete()
    }
}

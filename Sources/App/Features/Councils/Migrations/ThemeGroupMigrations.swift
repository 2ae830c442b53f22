import Vapor
import Fluent
import Domain

struct CreateThemeGroups: AsyncMigration {
    var name: String { "2026-11-23-13-create-theme-groups" }
    func prepare(on db: any Database) async throws {
        try await db.schema(ThemeGroup.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id", onDelete: .cascade))
            .field("topic", .string, .required).field("description", .string, .required)
            .field("starts_on", .datetime, .required).field("ends_on", .datetime, .required).field("area_ids", .string, .required)
            .create()
        try await db.schema(ThemeGroupMember.schema)
            .id()
            .field("group_id", .uuid, .required, .references(ThemeGroup.schema, "id", onDelete: .cascade))
            .field("name", .string, .required).field("email", .string, .required)
            .field("joined_on", .datetime, .required).field("left_on", .datetime)
            .create()
        try await db.schema(ThemeGroupAdvice.schema)
            .id()
            .field("group_id", .uuid, .required, .references(ThemeGroup.schema, "id", onDelete: .cascade))
            .field("advice_id", .uuid, .required, .references(CouncilAdvice.schema, "id", onDelete: .cascade))
            .field("text", .string, .required).field("given_on", .datetime, .required)
            .unique(on: "group_id", "advice_id")
            .create()
    }
    func revert(on db: any Database) async throws {
        for s in [ThemeGroupAdvice.schema, ThemeGroupMember.schema, ThemeGroup.schema] { try await db.schema(s).delete() }
    }
}

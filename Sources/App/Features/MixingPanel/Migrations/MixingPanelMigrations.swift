import Vapor
import Fluent
import Domain

struct CreateMixingPanelTables: AsyncMigration {
    var name: String { "2026-11-23-05-create-mixing-panel-tables" }
    func prepare(on db: any Database) async throws {
        try await db.schema(MixingPanelRecord.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id"))
            .field("subject_kind", .string, .required)
            .field("subject_name", .string, .required)
            .field("variant", .string, .required)
            .field("current_id", .uuid, .references(MixingPanelRecord.schema, "id"))
            .field("evaluated_on", .string, .required)
            .field("scale_steps", .int, .required)
            .field("sixth_slider", .bool, .required)
            .field("positions", .string, .required)
            .field("notes", .string, .required)
            .field("created_by_id", .uuid)
            .field("created_at", .datetime, .required)
            .create()
        try await db.schema(MixingPanelProfileRecord.schema)
            .id()
            .field("code", .string, .required)
            .field("positions", .string, .required)
            .unique(on: "code")
            .create()
    }
    func revert(on db: any Database) async throws {
        try await db.schema(MixingPanelProfileRecord.schema).delete()
        try await db.schema(MixingPanelRecord.schema).delete()
    }
}

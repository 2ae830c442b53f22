import Fluent

struct CreatePriorityRankings: AsyncMigration {
    var name: String { "2026-12-01-02-create-priority-rankings" }
    func prepare(on db: any Database) async throws {
        try await db.schema(PriorityRanking.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id", onDelete: .cascade))
            .field("number", .int, .required).field("year", .int, .required)
            .field("title", .string, .required).field("description", .string, .required).field("credit_cents", .int64, .required)
            .field("adopted_at", .datetime).field("adopted_by", .uuid).field("demo", .bool, .required)
            .field("created_at", .datetime, .required).field("updated_at", .datetime, .required)
            .unique(on: "municipality_id", "number")
            .create()
        try await db.schema(PriorityCriterion.schema)
            .id()
            .field("ranking_id", .uuid, .required, .references(PriorityRanking.schema, "id", onDelete: .cascade))
            .field("position", .int, .required).field("name", .string, .required).field("explanation", .string, .required)
            .field("weight", .int, .required).field("max_score", .int, .required).field("full_at_percent", .int)
            .unique(on: "ranking_id", "position")
            .create()
        try await db.schema(PriorityEntry.schema)
            .id()
            .field("ranking_id", .uuid, .required, .references(PriorityRanking.schema, "id", onDelete: .cascade))
            .field("area_id", .uuid, .required, .references(Area.schema, "id", onDelete: .cascade))
            .field("number", .int, .required).field("title", .string, .required).field("summary", .string, .required)
            .field("cost_cents", .int64, .required).field("own_cents", .int64, .required).field("own_text", .string, .required)
            .field("feasible", .bool).field("feasibility_reason", .string)
            .field("contact_name", .string, .required).field("contact_email", .string, .required)
            .field("initiative_id", .uuid, .references(Initiative.schema, "id", onDelete: .setNull))
            .field("created_at", .datetime, .required).field("updated_at", .datetime, .required)
            .unique(on: "ranking_id", "area_id")
            .unique(on: "ranking_id", "number")
            .create()
        try await db.schema(PriorityScore.schema)
            .id()
            .field("entry_id", .uuid, .required, .references(PriorityEntry.schema, "id", onDelete: .cascade))
            .field("criterion_id", .uuid, .required, .references(PriorityCriterion.schema, "id", onDelete: .cascade))
            .field("score", .int, .required).field("note", .string, .required)
            .field("scored_at", .datetime, .required).field("scored_by", .uuid)
            .unique(on: "entry_id", "criterion_id")
            .create()
    }
    func revert(on db: any Database) async throws {
        for schema in [PriorityScore.schema, PriorityEntry.schema, PriorityCriterion.schema, PriorityRanking.schema] { try await db.schema(schema).delete() }
    }
}

import Vapor
import Fluent
import Domain

struct CreateCouncilMembership: AsyncMigration {
    var name: String { "2026-11-23-11-create-council-membership" }
    func prepare(on db: any Database) async throws {
        try await db.schema(Council.schema).field("seats", .int, .required, .sql(.default(7))).update()
        try await db.schema(CouncilSettings.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id", onDelete: .cascade))
            .field("term_year", .int, .required).field("term_month", .int, .required).field("term_day", .int, .required)
            .field("answer_days", .int, .required).field("council_weight", .int, .required).field("theme_group_weight", .int, .required)
            .unique(on: "municipality_id")
            .create()
        try await db.schema(CouncilMember.schema)
            .id()
            .field("council_id", .uuid, .required, .references(Council.schema, "id", onDelete: .cascade))
            .field("name", .string, .required).field("email", .string).field("role", .string, .required)
            .field("starts_on", .datetime, .required).field("ends_on", .datetime, .required).field("resigned_on", .datetime)
            .field("demo", .bool, .required)
            .create()
        try await db.schema(SelectionGroupMember.schema)
            .id()
            .field("council_id", .uuid, .required, .references(Council.schema, "id", onDelete: .cascade))
            .field("term_start", .datetime, .required).field("name", .string, .required).field("email", .string)
            .create()
        try await db.schema(CouncilCandidate.schema)
            .id()
            .field("council_id", .uuid, .required, .references(Council.schema, "id", onDelete: .cascade))
            .field("term_start", .datetime, .required).field("name", .string, .required).field("email", .string, .required)
            .field("phone", .string).field("neighbourhood_id", .uuid).field("address", .string)
            .field("politically_active", .bool, .required).field("employed", .bool, .required).field("motivation", .string, .required)
            .field("status", .string, .required).field("reasons", .string, .required)
            .field("applied_at", .datetime, .required).field("updated_at", .datetime, .required).field("decision_date", .datetime)
            .create()
        try await db.schema(AlternativeParticipation.schema)
            .id()
            .field("area_id", .uuid, .required, .references(Area.schema, "id", onDelete: .cascade))
            .field("description", .string, .required).field("since", .datetime, .required).field("decided_on", .datetime, .required)
            .unique(on: "area_id")
            .create()
    }
    func revert(on db: any Database) async throws {
        for schema in [AlternativeParticipation.schema, CouncilCandidate.schema, SelectionGroupMember.schema, CouncilMember.schema, CouncilSettings.schema] {
            try await db.schema(schema).delete()
        }
    }
}

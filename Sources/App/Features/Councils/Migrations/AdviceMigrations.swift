import Vapor
import Fluent
import Domain

struct CreateCouncilAdvice: AsyncMigration {
    var name: String { "2026-11-23-07-create-council-advice" }
    func prepare(on db: any Database) async throws {
        try await db.schema(CouncilAdvice.schema)
            .id()
            .field("council_id", .uuid, .required, .references(Council.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("subject", .string, .required)
            .field("question", .string)
            .field("asked_on", .datetime)
            .field("wanted_by", .datetime)
            .field("advice", .string)
            .field("given_on", .datetime)
            .field("answer", .string)
            .field("answered_on", .datetime)
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema(CouncilAdvice.schema).delete() }
}

struct CreateAdviceEscalations: AsyncMigration {
    var name: String { "2026-11-23-12-create-advice-escalations" }
    func prepare(on db: any Database) async throws {
        try await db.schema(AdviceEscalation.schema)
            .id()
            .field("advice_id", .uuid, .required, .references(CouncilAdvice.schema, "id", onDelete: .cascade))
            .field("level", .int, .required)
            .field("role", .string, .required)
            .field("at", .datetime, .required)
            .unique(on: "advice_id", "level")
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema(AdviceEscalation.schema).delete() }
}

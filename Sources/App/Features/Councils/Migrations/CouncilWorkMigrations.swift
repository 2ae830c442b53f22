import Vapor
import Fluent
import SQLKit
import Domain

struct CreateCouncilWork: AsyncMigration {
    var name: String { "2026-11-23-10-create-council-work" }
    func prepare(on db: any Database) async throws {
        try await db.schema(CouncilMeeting.schema).field("minutes", .string).update()
        try await db.schema(CouncilAgendaItem.schema)
            .id()
            .field("meeting_id", .uuid, .required, .references(CouncilMeeting.schema, "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("title", .string, .required)
            .field("description", .string)
            .create()
        try await db.schema(CouncilDocument.schema)
            .id()
            .field("meeting_id", .uuid, .required, .references(CouncilMeeting.schema, "id", onDelete: .cascade))
            .field("title", .string, .required)
            .field("filename", .string, .required)
            .field("size", .int, .required)
            .field("data", .data, .required)
            .field("uploaded_at", .datetime, .required)
            .create()
        try await db.schema(CouncilDecision.schema)
            .id()
            .field("council_id", .uuid, .required, .references(Council.schema, "id", onDelete: .cascade))
            .field("meeting_id", .uuid, .required, .references(CouncilMeeting.schema, "id", onDelete: .cascade))
            .field("number", .string, .required)
            .field("year", .int, .required)
            .field("sequence", .int, .required)
            .field("kind", .string, .required)
            .field("text", .string, .required)
            .field("advice_id", .uuid, .references(CouncilAdvice.schema, "id", onDelete: .setNull))
            .field("decided_on", .datetime, .required)
            .unique(on: "number")
            .unique(on: "council_id", "year", "sequence")
            .create()
        try await db.schema(CouncilAdvice.schema).field("decision_id", .uuid).update()
    }
    func revert(on db: any Database) async throws {
        try await db.schema(CouncilDecision.schema).delete()
        try await db.schema(CouncilDocument.schema).delete()
        try await db.schema(CouncilAgendaItem.schema).delete()
    }
}

/// Indexes for the council tables at national scale (hundreds of thousands of meetings and advice).
struct CreateCouncilIndexes: AsyncMigration {
    var name: String { "2026-11-23-15-create-council-indexes" }
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        for statement in [
            "CREATE INDEX IF NOT EXISTS council_meetings_council ON council_meetings (council_id, starts_at)",
            "CREATE INDEX IF NOT EXISTS council_advice_council ON council_advice (council_id)",
            "CREATE INDEX IF NOT EXISTS council_members_council ON council_members (council_id)",
            "CREATE INDEX IF NOT EXISTS council_candidates_council ON council_candidates (council_id, term_start)",
            "CREATE INDEX IF NOT EXISTS council_decisions_meeting ON council_decisions (meeting_id)",
            "CREATE INDEX IF NOT EXISTS council_agenda_meeting ON council_agenda_items (meeting_id)",
            "CREATE INDEX IF NOT EXISTS council_documents_meeting ON council_documents (meeting_id)",
            "CREATE INDEX IF NOT EXISTS councils_municipality ON councils (municipality_id)",
            "CREATE INDEX IF NOT EXISTS advice_escalations_advice ON advice_escalations (advice_id)",
        ] {
            try await sql.raw(SQLQueryString(statement)).run()
        }
    }
    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        for index in ["council_meetings_council", "council_advice_council", "council_members_council", "council_candidates_council", "council_decisions_meeting",
                      "council_agenda_meeting", "council_documents_meeting", "councils_municipality", "advice_escalations_advice"] {
            try await sql.raw(SQLQueryString("DROP INDEX IF EXISTS \(index)")).run()
        }
    }
}

import Vapor
import Fluent
import SQLKit
import Domain

struct CreateInitiatives: AsyncMigration {
    var name: String { "2026-11-30-01-create-initiatives" }
    func prepare(on db: any Database) async throws {
        try await db.schema(AreaBudget.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id", onDelete: .cascade))
            .field("area_id", .uuid, .required, .references(Area.schema, "id", onDelete: .cascade))
            .field("year", .int, .required).field("kind", .string, .required).field("name", .string, .required)
            .field("decider", .string, .required).field("mandate_limit_cents", .int64).field("department_id", .uuid)
            .field("allocated_cents", .int64, .required).field("available_cents", .int64, .required).field("committed_cents", .int64, .required)
            .field("paid_cents", .int64, .required).field("returned_cents", .int64, .required)
            .field("demo", .bool, .required).field("created_at", .datetime, .required)
            .unique(on: "area_id", "year", "name")
            .create()
        try await db.schema(Initiative.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id", onDelete: .cascade))
            .field("area_id", .uuid, .required, .references(Area.schema, "id", onDelete: .cascade))
            .field("code", .string, .required).field("year", .int, .required).field("sequence", .int, .required)
            .field("title", .string, .required).field("summary", .string, .required).field("for_whom", .string, .required)
            .field("place", .string, .required).field("period", .string, .required).field("theme", .string, .required)
            .field("asked_cents", .int64, .required)
            .field("kind", .string, .required).field("task", .string, .required).field("task_department_id", .uuid)
            .field("support_people", .string, .required).field("support_knowledge", .string, .required)
            .field("support_network", .string, .required).field("support_place", .string, .required).field("own_contribution", .string, .required)
            .field("status", .string, .required)
            .field("contact_name", .string, .required).field("contact_email", .string, .required).field("contact_phone", .string)
            .field("key_hash", .string, .required)
            .field("budget_id", .uuid, .references(AreaBudget.schema, "id", onDelete: .setNull))
            .field("granted_cents", .int64).field("decision_text", .string).field("decided_at", .datetime)
            .field("council_decision_id", .uuid, .references(CouncilDecision.schema, "id", onDelete: .setNull))
            .field("result_text", .string).field("good_example", .bool, .required).field("demo", .bool, .required)
            .field("created_at", .datetime, .required).field("submitted_at", .datetime).field("updated_at", .datetime, .required)
            .field("version", .int, .required)
            .unique(on: "municipality_id", "code")
            .create()
        try await db.schema(InitiativeBudgetLine.schema)
            .id()
            .field("initiative_id", .uuid, .required, .references(Initiative.schema, "id", onDelete: .cascade))
            .field("position", .int, .required).field("description", .string, .required)
            .field("cents", .int64, .required).field("actual_cents", .int64)
            .create()
        try await db.schema(InitiativeEvent.schema)
            .id()
            .field("initiative_id", .uuid, .required, .references(Initiative.schema, "id", onDelete: .cascade))
            .field("at", .datetime, .required).field("step", .string, .required)
            .field("from_status", .string, .required).field("to_status", .string, .required)
            .field("text", .string).field("actor_id", .uuid)
            .create()
        try await db.schema(InitiativeSupportGiven.schema)
            .id()
            .field("initiative_id", .uuid, .required, .references(Initiative.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required).field("department_id", .uuid).field("partner", .string, .required)
            .field("description", .string, .required).field("recorded_at", .datetime, .required).field("recorded_by", .uuid)
            .create()
        try await db.schema(InitiativePhoto.schema)
            .id()
            .field("initiative_id", .uuid, .required, .references(Initiative.schema, "id", onDelete: .cascade))
            .field("position", .int, .required).field("content_type", .string, .required).field("data", .data, .required)
            .unique(on: "initiative_id", "position")
            .create()
        try await db.schema(LedgerEntry.schema)
            .id()
            .field("budget_id", .uuid, .required, .references(AreaBudget.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required).field("amount_cents", .int64, .required)
            .field("initiative_id", .uuid, .references(Initiative.schema, "id", onDelete: .setNull))
            .field("council_decision_id", .uuid, .references(CouncilDecision.schema, "id", onDelete: .setNull))
            .field("reference", .string, .required).field("recorded_at", .datetime, .required).field("recorded_by", .uuid)
            .create()
        guard let sql = db as? any SQLDatabase else { return }
        for statement in [
            "CREATE INDEX IF NOT EXISTS initiatives_listing ON initiatives (municipality_id, status, area_id)",
            "CREATE INDEX IF NOT EXISTS initiatives_area ON initiatives (area_id, year)",
            "CREATE INDEX IF NOT EXISTS initiatives_budget ON initiatives (budget_id, decided_at)",
            "CREATE INDEX IF NOT EXISTS initiatives_recent ON initiatives (municipality_id, created_at, code)",
            "CREATE INDEX IF NOT EXISTS initiatives_area_status ON initiatives (area_id, status, created_at)",
            "CREATE INDEX IF NOT EXISTS initiative_support_given_initiative ON initiative_support_given (initiative_id)",
            "CREATE INDEX IF NOT EXISTS initiative_events_initiative ON initiative_events (initiative_id, at)",
            "CREATE INDEX IF NOT EXISTS initiative_lines_initiative ON initiative_budget_lines (initiative_id, position)",
            "CREATE INDEX IF NOT EXISTS ledger_entries_budget ON ledger_entries (budget_id, recorded_at)",
            "CREATE INDEX IF NOT EXISTS ledger_entries_initiative ON ledger_entries (initiative_id)",
            "CREATE INDEX IF NOT EXISTS area_budgets_municipality ON area_budgets (municipality_id, year)",
        ] { try await sql.raw(SQLQueryString(statement)).run() }
    }
    func revert(on db: any Database) async throws {
        for s in [LedgerEntry.schema, InitiativePhoto.schema, InitiativeSupportGiven.schema, InitiativeEvent.schema, InitiativeBudgetLine.schema, Initiative.schema, AreaBudget.schema] { try await db.schema(s).delete() }
    }
}

struct CreateIdeas: AsyncMigration {
    var name: String { "2026-11-30-02-create-ideas" }
    func prepare(on db: any Database) async throws {
        try await db.schema(Idea.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id", onDelete: .cascade))
            .field("area_id", .uuid, .required, .references(Area.schema, "id", onDelete: .cascade))
            .field("code", .string, .required).field("year", .int, .required).field("sequence", .int, .required)
            .field("title", .string, .required).field("text", .string, .required).field("theme", .string, .required).field("status", .string, .required)
            .field("poster_name", .string, .required).field("poster_email", .string, .required)
            .field("support_count", .int, .required).field("salt", .string, .required)
            .field("answer", .string).field("answered_at", .datetime)
            .field("initiative_id", .uuid, .references(Initiative.schema, "id", onDelete: .setNull))
            .field("demo", .bool, .required).field("created_at", .datetime, .required).field("updated_at", .datetime, .required)
            .unique(on: "municipality_id", "code")
            .create()
        try await db.schema(IdeaSupport.schema)
            .id()
            .field("idea_id", .uuid, .required, .references(Idea.schema, "id", onDelete: .cascade))
            .field("supporter_hash", .string, .required).field("token_hash", .string, .required)
            .field("created_at", .datetime, .required).field("confirmed_at", .datetime)
            .unique(on: "idea_id", "supporter_hash")
            .create()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX IF NOT EXISTS ideas_listing ON ideas (municipality_id, area_id, status)").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS idea_supports_token ON idea_supports (token_hash)").run()
    }
    func revert(on db: any Database) async throws {
        try await db.schema(IdeaSupport.schema).delete()
        try await db.schema(Idea.schema).delete()
    }
}

import Vapor
import Fluent
import SQLKit

struct CreateBudgetRounds: AsyncMigration {
    var name: String { "2026-12-01-01-create-budget-rounds" }
    func prepare(on db: any Database) async throws {
        try await db.schema(BudgetRound.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id", onDelete: .cascade))
            .field("area_id", .uuid, .required, .references(Area.schema, "id", onDelete: .cascade))
            .field("budget_id", .uuid, .required, .references(AreaBudget.schema, "id", onDelete: .restrict))
            .field("number", .int, .required)
            .field("title", .string, .required).field("description", .string, .required).field("amount_cents", .int64, .required)
            .field("ideas_from", .datetime, .required).field("ideas_until", .datetime, .required).field("feasibility_until", .datetime, .required)
            .field("voting_from", .datetime, .required).field("voting_until", .datetime, .required)
            .field("rule_kind", .string, .required).field("minimum_percent", .int, .required)
            .field("minimum_projects", .int, .required).field("maximum_projects", .int, .required)
            .field("decided_by", .string, .required).field("show_counts", .bool, .required).field("minimum_age", .int, .required)
            .field("closed_at", .datetime).field("demo", .bool, .required)
            .field("created_at", .datetime, .required).field("updated_at", .datetime, .required).field("version", .int, .required)
            .unique(on: "municipality_id", "number")
            .create()
        try await db.schema(BudgetRoundProject.schema)
            .id()
            .field("round_id", .uuid, .required, .references(BudgetRound.schema, "id", onDelete: .cascade))
            .field("number", .int, .required)
            .field("idea_id", .uuid, .references(Idea.schema, "id", onDelete: .setNull))
            .field("title", .string, .required).field("summary", .string, .required)
            .field("cost_cents", .int64).field("feasible", .bool).field("feasibility_reason", .string)
            .field("assessed_at", .datetime).field("assessed_by", .uuid)
            .field("initiative_id", .uuid, .references(Initiative.schema, "id", onDelete: .setNull))
            .field("selected_position", .int).field("created_at", .datetime, .required)
            .unique(on: "round_id", "number")
            .create()
        try await db.schema(BudgetRoundCodeBatch.schema)
            .id()
            .field("round_id", .uuid, .required, .references(BudgetRound.schema, "id", onDelete: .cascade))
            .field("number", .int, .required).field("count", .int, .required)
            .field("created_at", .datetime, .required).field("created_by", .uuid).field("sent_at", .datetime)
            .unique(on: "round_id", "number")
            .create()
        try await db.schema(BudgetRoundCode.schema)
            .id()
            .field("round_id", .uuid, .required, .references(BudgetRound.schema, "id", onDelete: .cascade))
            .field("batch_id", .uuid, .required, .references(BudgetRoundCodeBatch.schema, "id", onDelete: .cascade))
            .field("position", .int, .required).field("code_hash", .string, .required)
            .field("plain", .string).field("used_on", .datetime)
            .unique(on: "code_hash")
            .create()
        try await db.schema(BudgetRoundBallot.schema)
            .id()
            .field("round_id", .uuid, .required, .references(BudgetRound.schema, "id", onDelete: .cascade))
            .field("receipt_hash", .string, .required).field("channel", .string, .required)
            .unique(on: "receipt_hash")
            .create()
        try await db.schema(BudgetRoundChoice.schema)
            .id()
            .field("ballot_id", .uuid, .required, .references(BudgetRoundBallot.schema, "id", onDelete: .cascade))
            .field("round_id", .uuid, .required, .references(BudgetRound.schema, "id", onDelete: .cascade))
            .field("project_number", .int, .required)
            .create()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX budget_round_codes_batch ON budget_round_codes (batch_id, position)").run()
        try await sql.raw("CREATE INDEX budget_round_ballots_round ON budget_round_ballots (round_id)").run()
        try await sql.raw("CREATE INDEX budget_round_choices_round ON budget_round_choices (round_id, ballot_id)").run()
        try await sql.raw("CREATE INDEX budget_rounds_area ON budget_rounds (area_id)").run()
    }

    func revert(on db: any Database) async throws {
        for schema in [BudgetRoundChoice.schema, BudgetRoundBallot.schema, BudgetRoundCode.schema, BudgetRoundCodeBatch.schema, BudgetRoundProject.schema, BudgetRound.schema] {
            try await db.schema(schema).delete()
        }
    }
}

/// Cheque rounds (Ede Doet): a round's kind and cheque value, an initiative's deadline and funding, the pledges.
struct AddChequeRounds: AsyncMigration {
    var name: String { "2026-12-01-02-add-cheque-rounds" }
    func prepare(on db: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        try await db.schema(BudgetRound.schema).field("kind", .string, .required, .sql(.default("vote"))).update()
        try await db.schema(BudgetRound.schema).field("cheque_cents", .int64, .required, .sql(.default(0))).update()
        try await db.schema(BudgetRoundProject.schema).field("deadline", .datetime).update()
        try await db.schema(BudgetRoundProject.schema).field("funded_at", .datetime).update()
        try await db.schema(ChequePledge.schema)
            .id()
            .field("round_id", .uuid, .required, .references(BudgetRound.schema, "id", onDelete: .cascade))
            .field("project_number", .int, .required).field("code_hash", .string, .required).field("pledged_at", .datetime, .required)
            .unique(on: "code_hash")
            .create()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX cheque_pledges_project ON cheque_pledges (round_id, project_number)").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema(ChequePledge.schema).delete()
    }
}

/// Rounds for the whole municipality with one pot per area (a series of rounds created together).
struct AddBudgetRoundSeries: AsyncMigration {
    var name: String { "2026-12-01-03-add-budget-round-series" }
    func prepare(on db: any Database) async throws {
        try await db.schema(BudgetRound.schema).field("series", .int).update()
        try await db.schema(BudgetRound.schema).field("series_title", .string).update()
    }
    func revert(on db: any Database) async throws {
        try await db.schema(BudgetRound.schema).deleteField("series_title").update()
        try await db.schema(BudgetRound.schema).deleteField("series").update()
    }
}

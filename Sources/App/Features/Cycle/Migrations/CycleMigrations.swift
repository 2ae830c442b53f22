import Vapor
import Fluent
import SQLKit

struct CreateAreaCycle: AsyncMigration {
    var name: String { "2026-12-01-02-create-area-cycle" }
    func prepare(on db: any Database) async throws {
        try await db.schema(CycleProduct.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id", onDelete: .cascade))
            .field("area_id", .uuid, .required, .references(Area.schema, "id", onDelete: .cascade))
            .field("kind", .string, .required).field("version", .int, .required).field("status", .string, .required)
            .field("title", .string, .required).field("summary", .string, .required).field("profile_date", .datetime)
            .field("consultation_ends", .datetime).field("submitted_at", .datetime).field("adopted_on", .datetime)
            .field("decision", .string).field("sent_back_reason", .string).field("evaluated_at", .datetime)
            .field("created_at", .datetime, .required).field("updated_at", .datetime, .required).field("demo", .bool, .required)
            .unique(on: "area_id", "kind", "version")
            .create()
        try await db.schema(Spearhead.schema)
            .id()
            .field("product_id", .uuid, .required, .references(CycleProduct.schema, "id", onDelete: .cascade))
            .field("code", .string, .required).field("position", .int, .required).field("title", .string, .required)
            .field("why", .string, .required).field("success", .string, .required).field("involved", .string, .required)
            .field("tracked_subject", .string).field("tracked_buurt", .string).field("tracked_since", .datetime)
            .unique(on: "product_id", "code")
            .create()
        try await db.schema(PlanItem.schema)
            .id()
            .field("product_id", .uuid, .required, .references(CycleProduct.schema, "id", onDelete: .cascade))
            .field("position", .int, .required).field("title", .string, .required).field("owner", .string, .required)
            .field("project_id", .uuid).field("budget_id", .uuid)
            .field("starts_on", .datetime, .required).field("ends_on", .datetime, .required).field("budget_cents", .int, .required)
            .field("spearheads", .string, .required).field("progress", .string, .required)
            .create()
        try await db.schema(CycleResponse.schema)
            .id()
            .field("product_id", .uuid, .required, .references(CycleProduct.schema, "id", onDelete: .cascade))
            .field("signed_as", .string, .required).field("role", .string, .required).field("text", .string, .required)
            .field("created_at", .datetime, .required).field("answer", .string).field("answered_at", .datetime)
            .create()
        try await db.schema(AreaProject.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id", onDelete: .cascade))
            .field("department_id", .uuid, .references(Department.schema, "id", onDelete: .setNull))
            .field("partner", .string).field("title", .string, .required).field("description", .string, .required)
            .field("area_ids", .string, .required).field("neighbourhood_ids", .string, .required)
            .field("starts_on", .datetime, .required).field("ends_on", .datetime, .required).field("budget_cents", .int, .required)
            .field("contact", .string, .required).field("status", .string, .required).field("spearheads", .string, .required)
            .field("created_at", .datetime, .required).field("demo", .bool, .required)
            .create()
        try await db.schema(LinkDecision.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id", onDelete: .cascade))
            .field("first_id", .uuid, .required).field("second_id", .uuid, .required).field("status", .string, .required)
            .field("note", .string, .required).field("decided_at", .datetime, .required).field("decided_by", .uuid)
            .unique(on: "first_id", "second_id")
            .create()
        try await db.schema(CycleNotYet.schema)
            .id()
            .field("area_id", .uuid, .required, .references(Area.schema, "id", onDelete: .cascade))
            .field("reason", .string, .required).field("set_at", .datetime, .required)
            .unique(on: "area_id")
            .create()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX IF NOT EXISTS area_projects_municipality ON area_projects (municipality_id, ends_on)").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS cycle_products_municipality ON cycle_products (municipality_id, kind, status)").run()
    }
    func revert(on db: any Database) async throws {
        for s in [CycleNotYet.schema, LinkDecision.schema, AreaProject.schema, CycleResponse.schema, PlanItem.schema, Spearhead.schema, CycleProduct.schema] {
            try await db.schema(s).delete()
        }
    }
}

/// Council advice about a version of a cycle product (an agenda or plan), asked through the advice register.
struct AddAdviceCycleProduct: AsyncMigration {
    var name: String { "2026-12-01-03-advice-cycle-product" }
    func prepare(on db: any Database) async throws {
        try await db.schema(CouncilAdvice.schema).field("cycle_product_id", .uuid).update()
    }
    func revert(on db: any Database) async throws {
        try await db.schema(CouncilAdvice.schema).deleteField("cycle_product_id").update()
    }
}

struct CreateSpearheadLinks: AsyncMigration {
    var name: String { "2026-12-01-04-spearhead-links" }
    func prepare(on db: any Database) async throws {
        try await db.schema(SpearheadLink.schema)
            .id()
            .field("area_id", .uuid, .required, .references(Area.schema, "id", onDelete: .cascade))
            .field("code", .string, .required).field("kind", .string, .required).field("target_id", .uuid, .required)
            .field("label", .string, .required).field("created_at", .datetime, .required)
            .unique(on: "area_id", "code", "kind", "target_id")
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema(SpearheadLink.schema).delete() }
}

/// An idea answered with "outside the adopted plan" points to that plan.
struct AddIdeaOutsidePlan: AsyncMigration {
    var name: String { "2026-12-01-05-idea-outside-plan" }
    func prepare(on db: any Database) async throws { try await db.schema(Idea.schema).field("outside_plan_id", .uuid).update() }
    func revert(on db: any Database) async throws { try await db.schema(Idea.schema).deleteField("outside_plan_id").update() }
}

struct CreateCycleSettings: AsyncMigration {
    var name: String { "2026-12-01-06-cycle-settings" }
    func prepare(on db: any Database) async throws {
        try await db.schema(CycleSettings.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id", onDelete: .cascade))
            .field("policy", .string, .required).field("updated_at", .datetime, .required)
            .unique(on: "municipality_id")
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema(CycleSettings.schema).delete() }
}

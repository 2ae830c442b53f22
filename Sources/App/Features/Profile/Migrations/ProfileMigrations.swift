import Vapor
import Fluent
import SQLKit
import Domain

struct CreateProfileTables: AsyncMigration {
    var name: String { "2026-11-30-03-create-profile" }
    func prepare(on db: any Database) async throws {
        try await db.schema(CBSFigure.schema)
            .id()
            .field("year", .int, .required).field("code", .string, .required).field("municipality_code", .string, .required)
            .field("indicator", .string, .required).field("value", .double)
            .unique(on: "year", "code", "indicator")
            .create()
        try await db.schema(ProfileNote.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id", onDelete: .cascade))
            .field("area_id", .uuid, .required, .references(Area.schema, "id", onDelete: .cascade))
            .field("author_id", .uuid).field("author_role", .string, .required).field("text", .string, .required)
            .field("noted_on", .datetime, .required).field("public", .bool, .required).field("created_at", .datetime, .required)
            .create()
        try await db.schema(RankingTerm.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id", onDelete: .cascade))
            .field("indicator", .string, .required).field("weight", .double, .required)
            .unique(on: "municipality_id", "indicator")
            .create()
        try await db.schema(SurveyFigure.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id", onDelete: .cascade))
            .field("area_id", .uuid, .required, .references(Area.schema, "id", onDelete: .cascade))
            .field("year", .int, .required).field("indicator", .string, .required).field("value", .double, .required)
            .field("respondents", .int, .required).field("source", .string, .required)
            .unique(on: "area_id", "year", "indicator")
            .create()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX IF NOT EXISTS cbs_figures_municipality ON cbs_figures (municipality_code, indicator, year)").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS profile_notes_area ON profile_notes (area_id, noted_on)").run()
    }
    func revert(on db: any Database) async throws {
        for s in [SurveyFigure.schema, RankingTerm.schema, ProfileNote.schema, CBSFigure.schema] { try await db.schema(s).delete() }
    }
}

/// The village's own view (stories with photos) and the counts behind reach by age.
struct CreateAreaStories: AsyncMigration {
    var name: String { "2026-12-01-01-create-area-stories" }
    func prepare(on db: any Database) async throws {
        try await db.schema(AreaStory.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id", onDelete: .cascade))
            .field("area_id", .uuid, .required, .references(Area.schema, "id", onDelete: .cascade))
            .field("goes_well", .string, .required).field("could_be_better", .string, .required).field("signed_as", .string, .required)
            .field("author_kind", .string, .required).field("status", .string, .required).field("created_at", .datetime, .required)
            .field("reviewed_at", .datetime).field("reviewed_by", .uuid)
            .create()
        try await db.schema(AreaStoryPhoto.schema)
            .id()
            .field("story_id", .uuid, .required, .references(AreaStory.schema, "id", onDelete: .cascade))
            .field("position", .int, .required).field("content_type", .string, .required).field("data", .data, .required)
            .unique(on: "story_id", "position")
            .create()
        try await db.schema(ReachAgeCount.schema)
            .id()
            .field("area_id", .uuid, .required, .references(Area.schema, "id", onDelete: .cascade))
            .field("channel", .string, .required).field("year", .int, .required).field("age_group", .string, .required).field("count", .int, .required)
            .unique(on: "area_id", "channel", "year", "age_group")
            .create()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX IF NOT EXISTS area_stories_area ON area_stories (area_id, status, created_at)").run()
    }
    func revert(on db: any Database) async throws {
        for s in [ReachAgeCount.schema, AreaStoryPhoto.schema, AreaStory.schema] { try await db.schema(s).delete() }
    }
}

import Fluent
import SQLKit

struct CreateAreaTables: AsyncMigration {
    var name: String { "2026-11-23-02-create-area-tables" }

    func prepare(on db: any Database) async throws {
        try await db.schema(Municipality.schema)
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("slug", .string, .required)
            .field("mapping_version", .int, .required)
            .field("inhabitants", .int)
            .field("dwellings", .int)
            .field("figures_year", .int)
            .unique(on: "code")
            .unique(on: "slug")
            .create()
        try await db.schema(District.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id"))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("inhabitants", .int)
            .field("men", .int)
            .field("women", .int)
            .field("density", .int)
            .field("dwellings", .int)
            .field("area_total_ha", .int)
            .field("area_land_ha", .int)
            .field("area_water_ha", .int)
            .field("figures_year", .int, .required)
            .field("geometry", .string)
            .unique(on: "code")
            .create()
        try await db.schema(Area.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id"))
            .field("name", .string, .required)
            .field("slug", .string, .required)
            .field("kind", .string, .required)
            .field("position", .int, .required)
            .unique(on: "municipality_id", "slug")
            .create()
        try await db.schema(Neighbourhood.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id"))
            .field("district_id", .uuid, .required, .references(District.schema, "id"))
            .field("area_id", .uuid, .references(Area.schema, "id"))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("geometry", .string, .required)
            .field("min_lon", .double, .required)
            .field("min_lat", .double, .required)
            .field("max_lon", .double, .required)
            .field("max_lat", .double, .required)
            .unique(on: "code")
            .create()
        try await db.schema(Classification.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id"))
            .field("name", .string, .required)
            .field("owner", .string)
            .unique(on: "municipality_id", "name")
            .create()
        try await db.schema(ClassificationGroup.schema)
            .id()
            .field("classification_id", .uuid, .required, .references(Classification.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .unique(on: "classification_id", "name")
            .create()
        try await db.schema(ClassificationMember.schema)
            .id()
            .field("classification_id", .uuid, .required, .references(Classification.schema, "id", onDelete: .cascade))
            .field("group_id", .uuid, .required, .references(ClassificationGroup.schema, "id", onDelete: .cascade))
            .field("neighbourhood_id", .uuid, .required, .references(Neighbourhood.schema, "id"))
            .unique(on: "classification_id", "neighbourhood_id")
            .create()
    }

    func revert(on db: any Database) async throws {
        for schema in [ClassificationMember.schema, ClassificationGroup.schema, Classification.schema, Neighbourhood.schema,
                       Area.schema, District.schema, Municipality.schema] {
            try await db.schema(schema).delete()
        }
    }
}

/// Indexes for the lookups every page makes (areas and buurten of a municipality, buurten of an area).
struct CreateAreaIndexes: AsyncMigration {
    var name: String { "2026-11-23-03-create-area-indexes" }
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX IF NOT EXISTS areas_municipality ON areas (municipality_id, position)").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS neighbourhoods_municipality ON neighbourhoods (municipality_id, code)").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS neighbourhoods_area ON neighbourhoods (area_id)").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS districts_municipality ON districts (municipality_id, code)").run()
    }
    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        for index in ["areas_municipality", "neighbourhoods_municipality", "neighbourhoods_area", "districts_municipality"] {
            try await sql.raw(SQLQueryString("DROP INDEX IF EXISTS \(index)")).run()
        }
    }
}

import Fluent

struct CreateAccountTables: AsyncMigration {
    var name: String { "2026-11-23-04-create-account-tables" }

    func prepare(on db: any Database) async throws {
        try await db.schema(Department.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id"))
            .field("name", .string, .required)
            .field("domain", .string, .required)
            .field("team_lead_id", .uuid)
            .unique(on: "municipality_id", "name")
            .create()
        try await db.schema(User.schema)
            .id()
            .field("email", .string, .required)
            .field("name", .string, .required)
            .field("password_hash", .string, .required)
            .field("role", .string, .required)
            .field("municipality_id", .uuid, .references(Municipality.schema, "id"))
            .field("department_id", .uuid, .references(Department.schema, "id"))
            .field("active", .bool, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "email")
            .create()
        try await db.schema(UserArea.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("area_id", .uuid, .required, .references(Area.schema, "id"))
            .unique(on: "user_id", "area_id")
            .create()
        try await db.schema(LoginThrottleRecord.schema)
            .id()
            .field("email", .string, .required)
            .field("failures", .int, .required)
            .field("window_start", .datetime)
            .field("locked_until", .datetime)
            .unique(on: "email")
            .create()
    }

    func revert(on db: any Database) async throws {
        for schema in [LoginThrottleRecord.schema, UserArea.schema, User.schema, Department.schema] {
            try await db.schema(schema).delete()
        }
    }
}

/// A version per throttle row, for the compare-and-set that counts parallel attempts exactly.
struct AddLoginThrottleVersion: AsyncMigration {
    var name: String { "AddLoginThrottleVersion" }
    func prepare(on db: any Database) async throws {
        try await db.schema(LoginThrottleRecord.schema).field("version", .int, .required, .sql(.default(0))).update()
    }
    func revert(on db: any Database) async throws {
        try await db.schema(LoginThrottleRecord.schema).deleteField("version").update()
    }
}

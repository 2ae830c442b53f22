import Vapor
import Fluent
import SQLKit
import Domain

/// Escalation events get their level and role as fields (they were kept as "level|role" in the note).
struct AddStructuredEscalationEvents: AsyncMigration {
    var name: String { "AddStructuredEscalationEvents" }
    func prepare(on db: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        try await db.schema(SignalEvent.schema).field("escalation_level", .int).update()
        try await db.schema(SignalEvent.schema).field("escalation_role", .string).update()
        let old = try await SignalEvent.query(on: db).filter(\.$kind == .escalated).filter(\.$internalNote != nil).all()
        for event in old {
            guard let note = event.internalNote, let bar = note.firstIndex(of: "|"), let level = Int(note[..<bar]),
                  let role = Role(rawValue: String(note[note.index(after: bar)...])) else { continue }
            event.escalationLevel = level
            event.escalationRole = role
            event.internalNote = nil
            try await event.update(on: db)
        }
    }
    func revert(on db: any Database) async throws {
        try await db.schema(SignalEvent.schema).deleteField("escalation_level").update()
        try await db.schema(SignalEvent.schema).deleteField("escalation_role").update()
    }
}

struct AddSignalReporterKey: AsyncMigration {
    var name: String { "2026-11-23-14-add-signal-reporter-key" }
    func prepare(on db: any Database) async throws { try await db.schema(Signal.schema).field("reporter_key", .string).update() }
    func revert(on db: any Database) async throws { try await db.schema(Signal.schema).deleteField("reporter_key").update() }
}

struct CreateSignalTables: AsyncMigration {
    var name: String { "2026-11-23-08-create-signal-tables" }
    func prepare(on db: any Database) async throws {
        try await db.schema(SignalCategory.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id", onDelete: .cascade))
            .field("parent_id", .uuid, .references(SignalCategory.schema, "id", onDelete: .cascade))
            .field("code", .string, .required)
            .field("name_nl", .string, .required)
            .field("name_en", .string, .required)
            .field("term_days", .int, .required)
            .field("term_unit", .string, .required)
            .field("is_public", .bool, .required)
            .field("questions", .string, .required)
            .field("position", .int, .required)
            .field("active", .bool, .required)
            .unique(on: "municipality_id", "code")
            .create()
        try await db.schema(SignalSettings.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id", onDelete: .cascade))
            .field("jurisdiction", .string, .required)
            .field("good_friday", .bool, .required)
            .field("liberation_day", .string, .required)
            .field("retention_days", .int, .required)
            .field("mail_states", .string, .required)
            .unique(on: "municipality_id")
            .unique(on: "jurisdiction")
            .create()
        try await db.schema(EscalationStepRecord.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id", onDelete: .cascade))
            .field("level", .int, .required)
            .field("working_days", .int, .required)
            .field("role", .string, .required)
            .unique(on: "municipality_id", "level")
            .create()
        try await db.schema(RoutingRuleRecord.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("category_id", .uuid, .references(SignalCategory.schema, "id", onDelete: .cascade))
            .field("area_id", .uuid, .references(Area.schema, "id", onDelete: .cascade))
            .field("weekdays", .string, .required)
            .field("from_minute", .int)
            .field("to_minute", .int)
            .field("department_id", .uuid, .required, .references(Department.schema, "id", onDelete: .cascade))
            .field("assignee_id", .uuid, .references(User.schema, "id", onDelete: .setNull))
            .create()
        try await db.schema(Signal.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id", onDelete: .cascade))
            .field("tracking_code", .string, .required)
            .field("category_id", .uuid, .required, .references(SignalCategory.schema, "id"))
            .field("area_id", .uuid, .references(Area.schema, "id", onDelete: .setNull))
            .field("neighbourhood_id", .uuid, .references(Neighbourhood.schema, "id", onDelete: .setNull))
            .field("description", .string, .required)
            .field("place", .string)
            .field("lat", .double)
            .field("lon", .double)
            .field("answers", .string, .required)
            .field("state", .string, .required)
            .field("department_id", .uuid, .references(Department.schema, "id", onDelete: .setNull))
            .field("assignee_id", .uuid, .references(User.schema, "id", onDelete: .setNull))
            .field("deadline", .datetime)
            .field("reported_at", .datetime, .required)
            .field("closed_at", .datetime)
            .field("state_changed_at", .datetime, .required)
            .field("main_signal_id", .uuid, .references(Signal.schema, "id", onDelete: .setNull))
            .field("source", .string, .required)
            .field("reporter_email", .string)
            .field("reporter_phone", .string)
            .field("contact_removed_at", .datetime)
            .field("escalation_level", .int, .required)
            .field("next_escalation_at", .datetime)
            .field("version", .int, .required)
            .field("demo", .bool, .required)
            .field("feedback_satisfied", .bool)
            .field("feedback_text", .string)
            .field("feedback_at", .datetime)
            .field("has_photo", .bool, .required)
            .field("language", .string, .required)
            .unique(on: "tracking_code")
            .create()
        try await db.schema(SignalEvent.schema)
            .id()
            .field("signal_id", .uuid, .required, .references(Signal.schema, "id", onDelete: .cascade))
            .field("at", .datetime, .required)
            .field("kind", .string, .required)
            .field("user_id", .uuid, .references(User.schema, "id", onDelete: .setNull))
            .field("actor", .string, .required)
            .field("from_state", .string)
            .field("to_state", .string)
            .field("public_text", .string)
            .field("internal_note", .string)
            .create()
        try await db.schema(SignalEscalation.schema)
            .id()
            .field("signal_id", .uuid, .required, .references(Signal.schema, "id", onDelete: .cascade))
            .field("level", .int)
            .field("role", .string, .required)
            .field("at", .datetime, .required)
            .field("reason", .string)
            .field("by_user_id", .uuid, .references(User.schema, "id", onDelete: .setNull))
            .unique(on: "signal_id", "level")
            .create()
        try await db.schema(SignalPhoto.schema)
            .id()
            .field("signal_id", .uuid, .required, .references(Signal.schema, "id", onDelete: .cascade))
            .field("content_type", .string, .required)
            .field("data", .data, .required)
            .create()
        try await db.schema(OutgoingMail.schema)
            .id()
            .field("recipient", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("created_at", .datetime, .required)
            .field("sent_at", .datetime)
            .field("attempts", .int, .required)
            .field("last_error", .string)
            .create()
        if let sql = db as? any SQLDatabase {
            for statement in [
                "CREATE INDEX IF NOT EXISTS signals_municipality_state ON signals (municipality_id, state)",
                "CREATE INDEX IF NOT EXISTS signals_area_state ON signals (area_id, state)",
                "CREATE INDEX IF NOT EXISTS signals_department_state ON signals (department_id, state)",
                "CREATE INDEX IF NOT EXISTS signals_deadline ON signals (deadline)",
                "CREATE INDEX IF NOT EXISTS signals_next_escalation ON signals (next_escalation_at)",
                "CREATE INDEX IF NOT EXISTS signals_category_reported ON signals (category_id, reported_at)",
                "CREATE INDEX IF NOT EXISTS signals_main ON signals (main_signal_id)",
                "CREATE INDEX IF NOT EXISTS signal_events_signal ON signal_events (signal_id, at)",
                "CREATE INDEX IF NOT EXISTS signal_escalations_signal ON signal_escalations (signal_id)",
                "CREATE INDEX IF NOT EXISTS signal_photos_signal ON signal_photos (signal_id)",
                "CREATE INDEX IF NOT EXISTS mail_outbox_unsent ON mail_outbox (sent_at)",
            ] {
                try await sql.raw(SQLQueryString(statement)).run()
            }
        }
    }

    func revert(on db: any Database) async throws {
        for schema in [OutgoingMail.schema, SignalPhoto.schema, SignalEscalation.schema, SignalEvent.schema, Signal.schema,
                       RoutingRuleRecord.schema, EscalationStepRecord.schema, SignalSettings.schema, SignalCategory.schema] {
            try await db.schema(schema).delete()
        }
    }
}

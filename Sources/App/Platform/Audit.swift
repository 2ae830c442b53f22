import Domain
import Vapor
import Fluent

/// One recorded change: who, when, what, before and after, and why.
final class AuditEntry: Model, @unchecked Sendable {
    static let schema = "audit_entries"

    @ID(key: .id) var id: UUID?
    @OptionalField(key: "municipality_id") var municipalityID: UUID?
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "actor_name") var actorName: String
    @Field(key: "action") var action: String
    @Field(key: "entity_type") var entityType: String
    @OptionalField(key: "entity_id") var entityID: String?
    @Field(key: "summary") var summary: String
    @OptionalField(key: "before") var before: String?
    @OptionalField(key: "after") var after: String?
    @OptionalField(key: "reason") var reason: String?
    @OptionalField(key: "request_id") var requestID: String?
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

struct CreateAuditEntries: AsyncMigration {
    var name: String { "2026-11-23-01-create-audit-entries" }
    func prepare(on db: any Database) async throws {
        try await db.schema(AuditEntry.schema)
            .id()
            .field("municipality_id", .uuid)
            .field("actor_id", .uuid)
            .field("actor_name", .string, .required)
            .field("action", .string, .required)
            .field("entity_type", .string, .required)
            .field("entity_id", .string)
            .field("summary", .string, .required)
            .field("before", .string)
            .field("after", .string)
            .field("reason", .string)
            .field("request_id", .string)
            .field("created_at", .datetime, .required)
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema(AuditEntry.schema).delete() }
}

/// Writes audit entries. Values are stored as sorted JSON so before and after can be compared.
struct AuditLog {
    /// What changed; its kind comes from the action (`AuditAction.entityType`).
    struct Subject {
        var id: String?
        var summary: String
        var municipalityID: UUID?
    }

    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    static func record(on db: any Database, by actor: User?, action: AuditAction, subject: Subject,
                       before: (some Encodable)? = String?.none, after: (some Encodable)? = String?.none,
                       reason: String? = nil, requestID: String? = nil, at now: Date) async throws {
        let entry = AuditEntry()
        entry.municipalityID = subject.municipalityID
        entry.actorID = actor?.id
        entry.actorName = actor.map { "\($0.name) <\($0.email)>" } ?? "systeem"
        entry.action = action.rawValue
        entry.entityType = action.entityType.rawValue
        entry.entityID = subject.id
        entry.summary = subject.summary
        entry.before = before.map(json)
        entry.after = after.map(json)
        entry.reason = reason
        entry.requestID = requestID
        entry.createdAt = now
        try await entry.create(on: db)
    }
}

extension Request {
    /// Records a change made by the signed-in user in this request.
    func audit(_ action: AuditAction, _ subject: AuditLog.Subject, before: (some Encodable)? = String?.none,
               after: (some Encodable)? = String?.none, reason: String? = nil, on db: (any Database)? = nil) async throws {
        try await AuditLog.record(on: db ?? self.db, by: authUser, action: action, subject: subject, before: before, after: after,
                                  reason: reason, requestID: id, at: application.clock())
    }
}

extension Application {
    private struct ClockKey: StorageKey { typealias Value = Domain.Clock }
    var clock: Domain.Clock {
        get { storage[ClockKey.self] ?? .system }
        set { storage[ClockKey.self] = newValue }
    }
}

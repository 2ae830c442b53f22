import Vapor
import Fluent
import Domain

/// `Idempotency-Key` on Open311 `POST requests`: a client that retries after a lost answer gets the
/// signal it already created instead of a second one. Keys are per API client and kept for 7 days.
final class Open311IdempotencyRecord: Model, @unchecked Sendable {
    static let schema = "open311_idempotency"
    @ID(key: .id) var id: UUID?
    @Parent(key: "client_id") var client: Open311Key
    @Field(key: "idempotency_key") var key: String
    @Parent(key: "signal_id") var signal: Signal
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

struct CreateOpen311Idempotency: AsyncMigration {
    var name: String { "CreateOpen311Idempotency" }
    func prepare(on db: any Database) async throws {
        try await db.schema(Open311IdempotencyRecord.schema)
            .id()
            .field("client_id", .uuid, .required, .references(Open311Key.schema, "id", onDelete: .cascade))
            .field("idempotency_key", .string, .required)
            .field("signal_id", .uuid, .required, .references(Signal.schema, "id", onDelete: .cascade))
            .field("created_at", .datetime, .required)
            .unique(on: "client_id", "idempotency_key")
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema(Open311IdempotencyRecord.schema).delete() }
}

enum Open311Idempotency {
    static let retention: TimeInterval = 7 * 86_400
    struct Conflict: Error {}
    enum Outcome { case created(Signal), earlier(Signal) }

    /// The header's key, if given; 1–255 visible ASCII characters.
    static func key(from headers: HTTPHeaders) throws -> String? {
        guard let raw = headers.first(name: "Idempotency-Key") else { return nil }
        let key = raw.trimmingCharacters(in: .whitespaces)
        guard (1...255).contains(key.count), key.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) else {
            throw Open311Error(status: .badRequest, description: "Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID is a good choice)")
        }
        return key
    }

    /// The signal an earlier request with this key created, if any.
    static func earlier(key: String, client: UUID, on db: any Database) async throws -> Signal? {
        guard let record = try await Open311IdempotencyRecord.query(on: db).filter(\.$client.$id == client).filter(\.$key == key).first() else { return nil }
        return try await Signal.find(record.$signal.id, on: db)
    }

    /// Stores the signal and the key in one transaction; when another request with the same key won the race, its signal.
    static func report(_ intake: SignalIntake, key: String, client: UUID, app: Application, on db: any Database) async throws -> Outcome {
        let now = app.clock()
        do {
            let signal = try await SignalService.report(intake, at: now, on: db, mailer: SignalMailer(app)) { signal, db in
                let record = Open311IdempotencyRecord()
                record.$client.id = client
                record.key = key
                record.$signal.id = try signal.requireID()
                record.createdAt = now
                do { try await record.create(on: db) } catch let error as any DatabaseError where error.isConstraintFailure { throw Conflict() }
            }
            return .created(signal)
        } catch is Conflict {
            guard let signal = try await earlier(key: key, client: client, on: db) else { throw AppError(status: .serviceUnavailable, key: "error.503") }
            return .earlier(signal)
        }
    }

    static func purge(now: Date, on db: any Database) async throws {
        try await Open311IdempotencyRecord.query(on: db).filter(\.$createdAt < now.addingTimeInterval(-retention)).delete()
    }
}

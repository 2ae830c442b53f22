import Vapor
import Fluent
import Domain

/// Sessions in the database, with an idle and an absolute timeout (`SessionPolicy`), the user they
/// belong to (so every session of a user can be ended when their role changes), and no row for an
/// empty session: an anonymous page view stores nothing; only a page with a form (CSRF) or a login does.
final class StoredSession: Model, @unchecked Sendable {
    static let schema = "sessions"
    @ID(key: .id) var id: UUID?
    @Field(key: "key") var key: String
    @Field(key: "data") var data: String
    @OptionalField(key: "user_id") var userID: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "last_seen_at") var lastSeenAt: Date
    init() {}
}

struct CreateSessions: AsyncMigration {
    var name: String { "CreateSessions" }
    func prepare(on db: any Database) async throws {
        try await db.schema(StoredSession.schema)
            .id()
            .field("key", .string, .required)
            .field("data", .string, .required)
            .field("user_id", .uuid)
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .unique(on: "key")
            .create()
        // The old Fluent session table is no longer read: every login starts in the new table.
        try await db.schema("_fluent_sessions").delete()
    }
    func revert(on db: any Database) async throws {
        try await db.schema(StoredSession.schema).delete()
        try await SessionRecord.migration.prepare(on: db)
    }
}

struct DatabaseSessions: AsyncSessionDriver {
    static let userKey = "_UserSession"
    /// The id handed out for a session that holds nothing; it is never stored.
    static let empty = SessionID(string: "")

    func createSession(_ data: SessionData, for request: Request) async throws -> SessionID {
        guard !data.snapshot.isEmpty else { return Self.empty }
        let now = request.application.clock()
        let row = StoredSession()
        row.key = randomToken()
        row.data = try Self.encode(data)
        row.userID = data[Self.userKey].flatMap(UUID.init(uuidString:))
        row.createdAt = now
        row.lastSeenAt = now
        try await row.create(on: request.db)
        return SessionID(string: row.key)
    }

    func readSession(_ sessionID: SessionID, for request: Request) async throws -> SessionData? {
        guard !sessionID.string.isEmpty, sessionID.string.count <= 100,
              let row = try await StoredSession.query(on: request.db).filter(\.$key == sessionID.string).first() else { return nil }
        if SessionPolicy.standard.isExpired(createdAt: row.createdAt, lastSeenAt: row.lastSeenAt, now: request.application.clock()) {
            try await row.delete(on: request.db)
            return nil
        }
        return try JSONDecoder().decode(SessionData.self, from: Data(row.data.utf8))
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) async throws -> SessionID {
        guard !data.snapshot.isEmpty else {
            try await deleteSession(sessionID, for: request)
            return Self.empty
        }
        guard let row = try await StoredSession.query(on: request.db).filter(\.$key == sessionID.string).first() else {
            return try await createSession(data, for: request)
        }
        row.data = try Self.encode(data)
        row.userID = data[Self.userKey].flatMap(UUID.init(uuidString:))
        row.lastSeenAt = request.application.clock()
        try await row.update(on: request.db)
        return sessionID
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) async throws {
        guard !sessionID.string.isEmpty else { return }
        try await StoredSession.query(on: request.db).filter(\.$key == sessionID.string).delete()
    }

    private static func encode(_ data: SessionData) throws -> String {
        String(decoding: try JSONEncoder().encode(data), as: UTF8.self)
    }
}

enum SessionStore {
    /// Ends every session of a user (after a change of role, scope, password or access).
    static func endAll(for userID: UUID, on db: any Database) async throws {
        try await StoredSession.query(on: db).filter(\.$userID == userID).delete()
    }

    /// Removes sessions past their idle or absolute timeout (run by the jobs).
    @discardableResult
    static func purge(now: Date, policy: SessionPolicy = .standard, on db: any Database) async throws -> Int {
        let expired = StoredSession.query(on: db).group(.or) {
            $0.filter(\.$createdAt <= now.addingTimeInterval(-policy.absolute)).filter(\.$lastSeenAt <= now.addingTimeInterval(-policy.idle))
        }
        let count = try await expired.count()
        if count > 0 { try await expired.delete() }
        return count
    }
}

extension Request {
    /// Starts a new session id for the current session's data (at login): the id a visitor held
    /// before logging in is dead afterwards, so it cannot be planted (session fixation).
    func renewSessionID() async throws {
        if let old = session.id {
            try await StoredSession.query(on: db).filter(\.$key == old.string).delete()
        }
        session.id = nil
    }
}

/// Logs the session's user in for this request; unlike Vapor's session authenticator it never
/// creates a session for a visitor who has none.
struct SessionUserMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if req.hasSession, let raw = req.session.data[DatabaseSessions.userKey], let id = UUID(uuidString: raw) {
            if let user = try await User.find(id, on: req.db), user.active { req.auth.login(user) }
            else { req.session.data[DatabaseSessions.userKey] = nil }
        }
        let response = try await next.respond(to: req)
        if let user = req.auth.get(User.self), let id = user.id {
            req.session.data[DatabaseSessions.userKey] = id.uuidString
        } else if req.hasSession, req.session.data[DatabaseSessions.userKey] != nil {
            req.session.data[DatabaseSessions.userKey] = nil
        }
        return response
    }
}

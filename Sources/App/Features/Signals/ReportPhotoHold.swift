import Vapor
import Fluent
import SQLKit
import Domain

/// A photo chosen on the report form, kept while the resident picks a place on the map, looks up an address or
/// corrects a mistake, so no reload of the form loses it. The form carries only a random token; the store holds
/// its hash. A photo that is not reported is removed after `lifetime` (by the signals' job), a reported one at once.
enum ReportPhotoHold {
    static let schema = "report_photo_holds"
    static let lifetime: TimeInterval = 2 * 3600
    static let fieldName = "foto_bewaard"
    static let dropFieldName = "foto_weg"

    struct Held: Sendable {
        var token: String
        var data: Data
    }

    /// Keeps an image (it was checked by `ImageUpload.accept`) and returns its token.
    static func keep(_ data: Data, at now: Date, on db: any Database) async throws -> Held {
        let token = randomToken()
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        try await sql.insert(into: schema).columns("token_hash", "data", "created_at")
            .values(SQLBind(tokenHash(token)), SQLBind(data), SQLBind(now)).run()
        return Held(token: token, data: data)
    }

    /// The photo of a token that has not expired.
    static func find(_ token: String?, at now: Date, on db: any Database) async throws -> Held? {
        guard let token, (20...100).contains(token.count), let sql = db as? any SQLDatabase else { return nil }
        struct Row: Decodable { var data: Data }
        let row = try await sql.select().column("data").from(schema).where("token_hash", .equal, tokenHash(token))
            .where("created_at", .greaterThan, now.addingTimeInterval(-lifetime)).first(decoding: Row.self)
        return row.map { Held(token: token, data: $0.data) }
    }

    static func discard(_ token: String?, on db: any Database) async throws {
        guard let token, let sql = db as? any SQLDatabase else { return }
        try await sql.delete(from: schema).where("token_hash", .equal, tokenHash(token)).run()
    }

    /// Removes what was kept longer than `lifetime`; returns how many.
    static func purge(now: Date, on db: any Database) async throws -> Int {
        guard let sql = db as? any SQLDatabase else { return 0 }
        struct Count: Decodable { var n: Int }
        let cutoff = now.addingTimeInterval(-lifetime)
        let n = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(schema)
            .where("created_at", .lessThanOrEqual, cutoff).first(decoding: Count.self)?.n ?? 0
        if n > 0 { try await sql.delete(from: schema).where("created_at", .lessThanOrEqual, cutoff).run() }
        return n
    }

    static func tokenHash(_ token: String) -> String { sha256Hex(token) }

    /// What the form shows and carries for a kept photo.
    struct Notice: Encodable {
        var token: String
        var text: String
        var dropLabel: String
    }

    static func notice(_ held: Held, _ req: Request) -> Notice {
        Notice(token: held.token, text: req.t("signal.photo.kept", Format.number(max(1, held.data.count / 1024), req.language)),
               dropLabel: req.t("signal.photo.drop"))
    }
}

struct CreateReportPhotoHolds: AsyncMigration {
    var name: String { "2026-12-01-11-create-report-photo-holds" }
    func prepare(on db: any Database) async throws {
        try await db.schema(ReportPhotoHold.schema)
            .field("token_hash", .string, .identifier(auto: false))
            .field("data", .data, .required).field("created_at", .datetime, .required)
            .create()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX report_photo_holds_created ON report_photo_holds (created_at)").run()
    }
    func revert(on db: any Database) async throws { try await db.schema(ReportPhotoHold.schema).delete() }
}

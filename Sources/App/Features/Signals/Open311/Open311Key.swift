import Vapor
import Fluent
import Crypto

/// An API key of one municipality: for Open311 clients (scope `open311`) or for departments' systems that register
/// area projects (scope `projects`). Only a hash is stored; the key is shown once.
final class Open311Key: Model, @unchecked Sendable {
    static let schema = "open311_keys"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Field(key: "name") var name: String
    @Field(key: "prefix") var prefix: String
    @Field(key: "key_hash") var keyHash: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @Field(key: "scope") var scope: String
    init() {}

    /// What a key may be used for: each API accepts only its own keys.
    enum Scope: String, CaseIterable, Sendable { case open311, projects }

    struct Snapshot: Codable { var name: String; var prefix: String; var revokedAt: String }
    var snapshot: Snapshot { Snapshot(name: name, prefix: prefix, revokedAt: revokedAt.map(Format.isoDay) ?? "–") }

    static func hash(_ key: String) -> String { sha256Hex(key) }

    /// Creates a key and returns it with the plain text to hand over (shown once).
    static func issue(municipality: UUID, name: String, scope: Scope = .open311, at now: Date, on db: any Database) async throws -> (Open311Key, String) {
        var bytes = [UInt8](repeating: 0, count: 24)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        let plain = "ww311_" + Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "A").replacingOccurrences(of: "/", with: "B").replacingOccurrences(of: "=", with: "")
        let key = Open311Key()
        key.$municipality.id = municipality
        key.name = name
        key.prefix = String(plain.prefix(12))
        key.keyHash = hash(plain)
        key.createdAt = now
        key.scope = scope.rawValue
        try await key.create(on: db)
        return (key, plain)
    }

    /// The active key with this text for the municipality, if any.
    static func find(_ plain: String, municipality: UUID, scope: Scope = .open311, on db: any Database) async throws -> Open311Key? {
        try await Open311Key.query(on: db).filter(\.$keyHash == hash(plain)).filter(\.$municipality.$id == municipality).filter(\.$revokedAt == nil)
            .filter(\.$scope == scope.rawValue).first()
    }
}

struct CreateOpen311Keys: AsyncMigration {
    var name: String { "2026-11-23-09-create-open311-keys" }
    func prepare(on db: any Database) async throws {
        try await db.schema(Open311Key.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id", onDelete: .cascade))
            .field("name", .string, .required)
            .field("prefix", .string, .required)
            .field("key_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .unique(on: "key_hash")
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema(Open311Key.schema).delete() }
}

/// `wijkwerk open311-key create --municipality GM0828 --name "Buitenbeter"` (prints the key) and
/// `wijkwerk open311-key revoke --prefix ww311_AbCdEf`.
struct Open311KeyCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "create, revoke or list") var action: String
        @Option(name: "municipality", help: "CBS code, e.g. GM0828") var municipality: String?
        @Option(name: "name", help: "who the key is for") var name: String?
        @Option(name: "prefix", help: "the key's first 12 characters (to revoke)") var prefix: String?
        @Option(name: "scope", help: "open311 (default) or projects (departments' systems registering area projects)") var scope: String?
    }
    var help: String { "Issue, list and revoke Open311 API keys" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        switch signature.action {
        case "create":
            guard let code = signature.municipality, let m = try await Municipality.query(on: db).filter(\.$code == code).first() else {
                context.console.error("Give --municipality with a known CBS code (e.g. GM0828)"); throw CommandError.missingRequiredArgument("municipality")
            }
            guard let name = signature.name?.trimmingCharacters(in: .whitespaces), !name.isEmpty else {
                context.console.error("Give --name: who the key is for"); throw CommandError.missingRequiredArgument("name")
            }
            guard let scope = Open311Key.Scope(rawValue: signature.scope ?? "open311") else {
                context.console.error("--scope is open311 or projects"); throw CommandError.invalidArgumentType("scope", type: String.self)
            }
            let (key, plain) = try await Open311Key.issue(municipality: try m.requireID(), name: name, scope: scope, at: Date(), on: db)
            try await AuditLog.record(on: db, by: nil, action: .open311KeyCreate, subject: .init(id: key.id?.uuidString, summary: name, municipalityID: m.id), after: key.snapshot, at: Date())
            context.console.print(plain)
        case "revoke":
            guard let prefix = signature.prefix, let key = try await Open311Key.query(on: db).filter(\.$prefix == prefix).filter(\.$revokedAt == nil).first() else {
                context.console.error("No active key with that --prefix"); throw CommandError.missingRequiredArgument("prefix")
            }
            key.revokedAt = Date()
            try await key.update(on: db)
            try await AuditLog.record(on: db, by: nil, action: .open311KeyRevoke, subject: .init(id: key.id?.uuidString, summary: key.name, municipalityID: key.$municipality.id),
                                      before: ["revokedAt": "–"], after: key.snapshot, at: Date())
            context.console.print("Revoked \(key.prefix) (\(key.name)).")
        case "list":
            for key in try await Open311Key.query(on: db).sort(\.$createdAt).all() {
                context.console.print("\(key.prefix)  \(key.revokedAt == nil ? "active " : "revoked")  \(key.scope)  \(key.name)")
            }
        default:
            throw CommandError.invalidArgumentType("action", type: String.self)
        }
    }
}

/// Keys get a scope; the keys that exist are Open311 keys.
struct AddOpen311KeyScope: AsyncMigration {
    var name: String { "2026-12-01-07-api-key-scope" }
    func prepare(on db: any Database) async throws {
        try await db.schema(Open311Key.schema).field("scope", .string, .required, .sql(.default("open311"))).update()
    }
    func revert(on db: any Database) async throws { try await db.schema(Open311Key.schema).deleteField("scope").update() }
}

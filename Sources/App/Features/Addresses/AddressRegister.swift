import Vapor
import Fluent
import SQLKit
import Domain

/// The address register a municipality imports from the BAG (`wijkwerk import addresses FILE`): one row per
/// postcode, number and addition, with its position and the buurt and municipality it lies in (located once, at
/// import). Read and written with plain SQL: a large municipality has about 500,000 addresses.
enum AddressRegister {
    static let schema = "addresses"

    struct Outcome: Sendable {
        var imported: Int
        var outside: Int
        var problems: [AddressFile.Problem]
    }

    /// Imports the good rows (idempotent: a second import of the same file changes nothing, a newer file updates
    /// street, place and position) and returns the bad ones with their line.
    static func importFile(_ text: String, on db: any Database, locator: AreaDirectory.LocatorIndex,
                           progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Outcome {
        let report = AddressFile.parse(text)
        // The header decides whether anything can be read; a file without the columns imports nothing.
        if report.rows.isEmpty { return Outcome(imported: 0, outside: 0, problems: report.problems) }
        var outside = 0
        let located: [(AddressMatch, UUID?, UUID?)] = report.rows.map { row in
            let buurt = locator.locator.locate(row.address.position)
            let municipality = buurt.flatMap { locator.municipalityOf[$0] }
            if municipality == nil { outside += 1 }
            return (row.address, buurt, municipality)
        }
        // The last row wins when a file holds the same address twice (as a re-import does).
        var seen: [String: Int] = [:]
        var unique: [(AddressMatch, UUID?, UUID?)] = []
        for entry in located {
            let key = "\(entry.0.postcode) \(entry.0.number) \(entry.0.addition)"
            if let i = seen[key] { unique[i] = entry } else { seen[key] = unique.count; unique.append(entry) }
        }
        let total = unique.count
        let all = unique
        try await db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
            var done = 0
            for start in stride(from: 0, to: all.count, by: 500) {
                let chunk = all[start..<min(start + 500, all.count)]
                var insert = sql.insert(into: schema).columns("postcode", "house_number", "addition", "street", "street_key", "place", "place_key",
                                                             "lat", "lon", "neighbourhood_id", "municipality_id")
                for (a, buurt, municipality) in chunk {
                    insert = insert.values(SQLBind(a.postcode), SQLBind(a.number), SQLBind(a.addition), SQLBind(a.street), SQLBind(AddressQuery.key(a.street)),
                                           SQLBind(a.place), SQLBind(AddressQuery.key(a.place)), SQLBind(a.position.lat), SQLBind(a.position.lon),
                                           SQLBind(buurt), SQLBind(municipality))
                }
                try await insert.onConflict(with: ["postcode", "house_number", "addition"]) { conflict in
                    conflict.set(excludedValueOf: "street").set(excludedValueOf: "street_key").set(excludedValueOf: "place")
                        .set(excludedValueOf: "place_key").set(excludedValueOf: "lat").set(excludedValueOf: "lon")
                        .set(excludedValueOf: "neighbourhood_id").set(excludedValueOf: "municipality_id")
                }.run()
                done += chunk.count
                progress?(done, total)
            }
        }
        return Outcome(imported: total, outside: outside, problems: report.problems)
    }

    static func isEmpty(on db: any Database) async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { return true }
        return try await sql.select().column(SQLLiteral.numeric("1")).from(schema).limit(1).first() == nil
    }

    struct Found: Sendable {
        var address: AddressMatch
        var neighbourhoodID: UUID?
        var municipalityID: UUID?
    }

    private struct Row: Decodable {
        var postcode: String
        var house_number: Int
        var addition: String
        var street: String
        var place: String
        var lat: Double
        var lon: Double
        var neighbourhood_id: UUID?
        var municipality_id: UUID?
    }

    /// At most `limit` addresses for what was typed: a postcode with a number anywhere (the postcode is unique), a
    /// street within the municipality (street names repeat across the country), exact name first, then names
    /// that start with what was typed. Every query uses an index (`addresses_postcode`, `addresses_street`).
    static func search(_ query: AddressQuery, municipalityID: UUID, on db: any Database, limit: Int = 8) async throws -> [Found] {
        guard let sql = db as? any SQLDatabase else { return [] }
        let columns = ["postcode", "house_number", "addition", "street", "place", "lat", "lon", "neighbourhood_id", "municipality_id"]
        var rows: [Row]
        switch query {
        case .postcode(let postcode, let number, let addition):
            rows = try await sql.select().columns(columns.map { SQLColumn($0) }).from(schema)
                .where("postcode", .equal, postcode).where("house_number", .equal, number)
                .orderBy("addition").limit(limit + 1).all(decoding: Row.self)
            if !addition.isEmpty, rows.contains(where: { $0.addition == addition }) { rows = rows.filter { $0.addition == addition } }
        case .street(let street, let number, let addition, let place):
            let key = AddressQuery.key(street)
            func select(exact: Bool) async throws -> [Row] {
                var q = sql.select().columns(columns.map { SQLColumn($0) }).from(schema).where("municipality_id", .equal, municipalityID)
                if exact { q = q.where("street_key", .equal, key) }
                else { q = q.where("street_key", .greaterThanOrEqual, key).where("street_key", .lessThan, key + "\u{FFFF}") }
                if let number { q = q.where("house_number", .equal, number) }
                if let place { q = q.where("place_key", .equal, AddressQuery.key(place)) }
                return try await q.orderBy("street_key").orderBy("house_number").orderBy("addition").limit(limit + 1).all(decoding: Row.self)
            }
            rows = try await select(exact: true)
            if rows.isEmpty { rows = try await select(exact: false) }
            if !addition.isEmpty, rows.contains(where: { $0.addition == addition }) { rows = rows.filter { $0.addition == addition } }
        }
        return rows.prefix(limit + 1).map { r in
            Found(address: AddressMatch(street: r.street, number: r.house_number, addition: r.addition, postcode: r.postcode, place: r.place,
                                        position: Position(lon: r.lon, lat: r.lat)),
                  neighbourhoodID: r.neighbourhood_id, municipalityID: r.municipality_id)
        }
    }
}

struct CreateAddresses: AsyncMigration {
    var name: String { "2026-12-01-10-create-addresses" }
    func prepare(on db: any Database) async throws {
        try await db.schema(AddressRegister.schema)
            .field("postcode", .string, .required).field("house_number", .int, .required).field("addition", .string, .required)
            .field("street", .string, .required).field("street_key", .string, .required)
            .field("place", .string, .required).field("place_key", .string, .required)
            .field("lat", .double, .required).field("lon", .double, .required)
            .field("neighbourhood_id", .uuid).field("municipality_id", .uuid)
            .unique(on: "postcode", "house_number", "addition")
            .create()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX addresses_street ON addresses (municipality_id, street_key, house_number)").run()
    }
    func revert(on db: any Database) async throws { try await db.schema(AddressRegister.schema).delete() }
}

/// `wijkwerk import addresses FILE`: the municipality's address register (a BAG extract as CSV).
struct AddressImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "CSV with postcode, huisnummer, [huisletter], [toevoeging], straat, woonplaats and lat/lon or x/y (RD)") var file: String
    }
    var help: String { "Import an address register (BAG extract) for address search; idempotent" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let data = FileManager.default.contents(atPath: signature.file) else {
            context.console.error("Cannot read \(signature.file)"); throw ExitCode(1)
        }
        let app = context.application
        let console = context.console
        let started = Date()
        let locator = try await app.areaDirectory.locator(on: app.db)
        let outcome = try await AddressRegister.importFile(String(decoding: data, as: UTF8.self), on: app.db, locator: locator) { done, total in
            if done == total || done % 20_000 < 500 { console.output(ConsoleText(stringLiteral: "\r\(done)/\(total) addresses"), newLine: false) }
        }
        if outcome.imported > 0 { console.print("") }
        for problem in outcome.problems.prefix(50) {
            console.error("line \(problem.line): \(app.localizer.text(problem.key, .en, [problem.detail]))")
        }
        if outcome.problems.count > 50 { console.error("… and \(outcome.problems.count - 50) more bad rows") }
        console.print("Imported \(outcome.imported) addresses in \(String(format: "%.1f", Date().timeIntervalSince(started))) s"
                      + (outcome.problems.isEmpty ? "." : "; \(outcome.problems.count) rows were not imported."))
        if outcome.outside > 0 { console.print("\(outcome.outside) addresses lie outside the municipalities Wijkwerk knows (kept, not searchable there).") }
        if outcome.imported == 0 { throw ExitCode(1) }
    }
}

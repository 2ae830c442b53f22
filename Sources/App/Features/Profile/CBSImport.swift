import Vapor
import Fluent
import SQLKit
import Domain

/// Imports a CBS Kerncijfers file: all or nothing, idempotent per year (the figures of the file's years and codes
/// are replaced), only for municipalities Wijkwerk knows (the others are counted and reported).
enum CBSImport {
    struct Outcome: Sendable {
        var imported: Int
        var regions: Int
        var years: [Int]
        var skippedRegions: Int
        var ignoredColumns: [String]
    }

    struct Failure: Error { var problems: [CBSFile.Problem] }

    static func run(_ text: String, year: Int?, on db: any Database, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Outcome {
        let report = CBSFile.parse(text, year: year)
        guard report.problems.isEmpty else { throw Failure(problems: report.problems) }
        let known = Set(try await Municipality.query(on: db).all(\.$code))
        let rows = report.rows.filter { known.contains($0.municipalityCode) }
        let skipped = Set(report.rows.filter { !known.contains($0.municipalityCode) }.map(\.code)).count
        struct Figure: Sendable { var year: Int; var code: String; var municipality: String; var indicator: String; var value: Double? }
        var figures: [Figure] = []
        for row in rows {
            for (indicator, value) in row.values {
                figures.append(Figure(year: row.year, code: row.code, municipality: row.municipalityCode, indicator: indicator, value: value))
            }
        }
        let years = Set(rows.map(\.year)).sorted()
        let codesByYear = Dictionary(grouping: rows, by: \.year).mapValues { Set($0.map(\.code)) }
        let total = figures.count
        let batch = figures
        try await db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
            // Idempotent: what this file holds for a year and region replaces what was there.
            for (y, codes) in codesByYear {
                for chunk in stride(from: 0, to: codes.count, by: 500).map({ Array(Array(codes)[$0..<min($0 + 500, codes.count)]) }) {
                    try await sql.delete(from: CBSFigure.schema).where("year", .equal, y).where("code", .in, chunk).run()
                }
            }
            // Plain multi-row INSERTs (no model objects): a national file holds about 320,000 figures.
            var done = 0
            for chunk in stride(from: 0, to: batch.count, by: 1000).map({ Array(batch[$0..<min($0 + 1000, batch.count)]) }) {
                var insert = sql.insert(into: CBSFigure.schema).columns("id", "year", "code", "municipality_code", "indicator", "value")
                for f in chunk {
                    insert = insert.values(SQLBind(UUID()), SQLBind(f.year), SQLBind(f.code), SQLBind(f.municipality), SQLBind(f.indicator), SQLBind(f.value))
                }
                try await insert.run()
                done += chunk.count
                progress?(done, total)
            }
        }
        return Outcome(imported: total, regions: Set(rows.map(\.code)).count, years: years, skippedRegions: skipped, ignoredColumns: report.ignoredColumns)
    }
}

/// `wijkwerk import cbs FILE [--year 2024]`: reads a CBS Kerncijfers wijken en buurten file (the whole country or a
/// part), shows progress on a terminal, reports bad rows with their line and imports nothing when there is one.
struct CBSImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "the CBS CSV file (comma or semicolon separated)") var file: String
        @Option(name: "year", help: "the year of the figures, when the file has no year column") var year: Int?
    }
    var help: String { "Import CBS Kerncijfers wijken en buurten (any year; idempotent per year)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let data = FileManager.default.contents(atPath: signature.file) else {
            context.console.error("Cannot read \(signature.file)"); throw ExitCode(1)
        }
        let text = String(decoding: data, as: UTF8.self)
        let console = context.console
        do {
            let started = Date()
            let outcome = try await CBSImport.run(text, year: signature.year, on: context.application.db) { done, total in
                if done == total || done % 20_000 < 1000 { console.output(ConsoleText(stringLiteral: "\r\(done)/\(total) figures"), newLine: false) }
            }
            console.print("")
            console.print("Imported \(outcome.imported) figures of \(outcome.regions) regions for \(outcome.years.map(String.init).joined(separator: ", ")) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s.")
            if outcome.skippedRegions > 0 { console.print("Skipped \(outcome.skippedRegions) regions of municipalities Wijkwerk does not know.") }
            if !outcome.ignoredColumns.isEmpty { console.print("Not imported (no indicator of Wijkwerk): \(outcome.ignoredColumns.prefix(20).joined(separator: ", "))\(outcome.ignoredColumns.count > 20 ? ", …" : "")") }
        } catch let failure as CBSImport.Failure {
            for problem in failure.problems.prefix(50) {
                console.error("line \(problem.line): \(context.application.localizer.text(problem.key, .en, [problem.detail]))")
            }
            if failure.problems.count > 50 { console.error("… and \(failure.problems.count - 50) more") }
            console.error("Nothing was imported.")
            throw ExitCode(1)
        }
    }
}

/// Imports a survey file for one municipality: all or nothing, idempotent per area, year and indicator.
enum SurveyImport {
    struct Failure: Error { var problems: [SurveyFile.Problem] }

    static func run(_ text: String, municipality m: Municipality, on db: any Database, directory: AreaDirectory) async throws -> Int {
        let s = try await directory.snapshot(for: m, on: db)
        var areaByKey: [String: UUID] = [:]
        for a in s.areas { areaByKey[a.slug.lowercased()] = a.id; areaByKey[a.name.lowercased()] = a.id }
        let (rows, problems) = SurveyFile.parse(text, knownAreas: Set(areaByKey.keys))
        guard problems.isEmpty else { throw Failure(problems: problems) }
        let areas = areaByKey
        try await db.writeTransaction { db in
            for row in rows {
                let areaID = areas[row.area]!
                try await SurveyFigure.query(on: db).filter(\.$area.$id == areaID).filter(\.$year == row.year).filter(\.$indicator == row.indicator).delete()
                let f = SurveyFigure()
                f.$municipality.id = s.id
                f.$area.id = areaID
                f.year = row.year
                f.indicator = row.indicator
                f.value = row.value
                f.respondents = row.respondents
                f.source = row.source
                try await f.create(on: db)
            }
        }
        return rows.count
    }
}

/// `wijkwerk import survey FILE --municipality GM0828`: aggregated survey results per area and year (columns gebied,
/// jaar, indicator, waarde, respondenten and optionally bron).
struct SurveyImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "CSV with gebied, jaar, indicator, waarde, respondenten[, bron]") var file: String
        @Option(name: "municipality", help: "CBS code or slug of the municipality") var municipality: String?
    }
    var help: String { "Import survey figures (beleving) per area and year, with their sample size" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        guard let key = signature.municipality,
              let m = try await Municipality.query(on: db).group(.or, { $0.filter(\.$code == key.uppercased()).filter(\.$slug == key) }).first() else {
            context.console.error("Give a known municipality with --municipality (for example GM0828)"); throw ExitCode(2)
        }
        guard let data = FileManager.default.contents(atPath: signature.file) else { context.console.error("Cannot read \(signature.file)"); throw ExitCode(1) }
        do {
            let n = try await SurveyImport.run(String(decoding: data, as: UTF8.self), municipality: m, on: db, directory: context.application.areaDirectory)
            context.console.print("Imported \(n) survey figures for \(m.name).")
        } catch let failure as SurveyImport.Failure {
            for problem in failure.problems.prefix(50) { context.console.error("line \(problem.line): \(context.application.localizer.text(problem.key, .en, [problem.detail]))") }
            context.console.error("Nothing was imported.")
            throw ExitCode(1)
        }
    }
}

/// `wijkwerk import …`: data the municipality brings in.
struct ImportCommands: AsyncCommandGroup {
    var commands: [String: any AnyAsyncCommand] { ["cbs": CBSImportCommand(), "survey": SurveyImportCommand(), "addresses": AddressImportCommand()] }
    var help: String { "Import data: cbs FILE, survey FILE --municipality CODE, addresses FILE" }
}

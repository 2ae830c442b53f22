import Vapor
import Fluent
import SQLKit
import Domain

/// The voluntary age question on residents' forms (report, idea, story, initiative) and the counts it feeds:
/// per area, channel, year and age group one number, raised by one per answer, never stored with what it came with.
enum ReachCounter {
    static let fieldName = "leeftijd"

    static func field(_ req: Request, value: String?) -> FieldView {
        FieldView(req, name: fieldName, label: req.t("reach.age.label"), type: "select", value: value ?? "", description: req.t("reach.age.help"), optional: true,
                  options: [("", req.t("reach.age.none"))] + ReachByAge.groups.map { ($0.key, req.t("reach.age.group." + $0.key)) })
    }

    /// Counts one answer. An empty or unknown answer counts nothing; a failure never stops what the resident did.
    static func count(_ answer: String?, area: UUID?, channel: String, at: Date, on db: any Database) async {
        guard let answer, ReachByAge.isGroup(answer), let area, let sql = db as? any SQLDatabase else { return }
        let year = DutchTime.calendar.component(.year, from: at)
        try? await sql.raw("""
            INSERT INTO reach_age_counts (id, area_id, channel, year, age_group, "count") VALUES (\(bind: UUID()), \(bind: area), \(bind: channel), \(bind: year), \(bind: answer), 1)
            ON CONFLICT (area_id, channel, year, age_group) DO UPDATE SET "count" = reach_age_counts."count" + 1
            """).run()
    }

    /// Channel → age group → answers, for the calendar years given.
    static func counts(area: UUID, years: [Int], on db: any Database) async throws -> [String: [String: Int]] {
        let rows = try await ReachAgeCount.query(on: db).filter(\.$area.$id == area).filter(\.$year ~~ years).all()
        var out: [String: [String: Int]] = [:]
        for r in rows { out[r.channel, default: [:]][r.ageGroup, default: 0] += r.count }
        return out
    }
}

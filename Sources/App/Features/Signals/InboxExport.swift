import Vapor
import Fluent
import Domain

/// The inbox's rows as CSV for a spreadsheet (no personal data: no contact details, masked texts).
enum InboxExport {
    static func csv(_ req: Request, _ m: Municipality, signals: [Signal], categories: [SignalCategory], now: Date) async throws -> String {
        let lang = req.language
        let snapshot = try await req.areas.snapshot(for: m, on: req.db)
        let departments = try await Department.query(on: req.db).filter(\.$municipality.$id == m.requireID()).all()
        let categoryName = Dictionary(uniqueKeysWithValues: categories.compactMap { c in c.id.map { ($0, c.name(lang)) } })
        let areaName = Dictionary(uniqueKeysWithValues: snapshot.areas.map { ($0.id, $0.name) })
        let departmentName = Dictionary(uniqueKeysWithValues: departments.compactMap { d in d.id.map { ($0, d.name) } })
        let header = ["signal.export.code", "signal.export.subject", "signal.export.area", "signal.export.department", "signal.export.state",
                      "signal.export.reported", "signal.export.deadline", "signal.export.overdue", "signal.export.description", "signal.export.place"].map { req.t($0) }
        let rows = signals.map { s in [
            s.trackingCode, categoryName[s.$category.id] ?? "", s.areaID.flatMap { areaName[$0] } ?? "", s.departmentID.flatMap { departmentName[$0] } ?? "",
            req.t("signal.state." + s.state.rawValue), Format.day(s.reportedAt, lang), s.deadline.map { Format.day($0, lang) } ?? "",
            EscalationLadder.isOverdue(deadline: s.deadline, state: s.state, now: now) ? req.t("signal.export.yes") : req.t("signal.export.no"),
            PersonalData.masked(s.text), s.place.map { PersonalData.masked($0) } ?? "",
        ] }
        return CSVWriter.document(header: header, rows: rows)
    }
}

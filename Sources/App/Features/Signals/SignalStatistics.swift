import Vapor
import Fluent
import Domain

/// Figures for dashboards and the public area page: open, overdue and escalated signals, and the median and
/// 90th-percentile handling time (reported → closed, in days) per category and per month.
enum SignalStatistics {
    struct Row: Sendable { var category: UUID; var reported: Date; var closed: Date?; var state: SignalState; var deadline: Date?; var escalated: Bool }

    struct Line: Encodable { var label: String; var reported: Int; var open: Int; var overdue: Int; var escalated: Int; var closed: Int; var median: String; var p90: String }

    /// The signals reported in the last year within a query's scope, reduced to what the figures need.
    static func rows(_ query: QueryBuilder<Signal>, since: Date) async throws -> [Row] {
        try await query.filter(\.$reportedAt >= since)
            .field(\.$category.$id).field(\.$reportedAt).field(\.$closedAt).field(\.$stateRaw).field(\.$deadline).field(\.$escalationLevel).field(\.$id)
            .all().map { s in
                Row(category: s.$category.id, reported: s.reportedAt, closed: s.closedAt, state: s.state, deadline: s.deadline, escalated: s.escalationLevel > 0)
            }
    }

    static func days(_ value: Double?, _ language: Language) -> String {
        guard let value else { return "–" }
        return Format.decimal((value / 86_400 * 10).rounded() / 10, language)
    }

    static func line(_ label: String, _ rows: [Row], now: Date, language: Language) -> Line {
        let handled = rows.compactMap { r in r.state == .afgehandeld ? r.closed.map { $0.timeIntervalSince(r.reported) } : nil }
        let summary = HandlingStatistics.summary(handled)
        let open = rows.filter { !$0.state.isClosed }
        return Line(label: label, reported: rows.count, open: open.count,
                    overdue: open.filter { EscalationLadder.isOverdue(deadline: $0.deadline, state: $0.state, now: now) }.count,
                    escalated: open.filter(\.escalated).count, closed: handled.count,
                    median: days(summary.median, language), p90: days(summary.p90, language))
    }

    /// Lines per main category (sub categories counted with their main one).
    static func perCategory(_ rows: [Row], categories: [SignalCategory], now: Date, language: Language) -> [Line] {
        let mainOf = Dictionary(uniqueKeysWithValues: categories.compactMap { c in c.id.map { ($0, c.parentID ?? $0) } })
        let grouped = Dictionary(grouping: rows) { mainOf[$0.category] ?? $0.category }
        return categories.filter { $0.parentID == nil }.compactMap { c in
            guard let id = c.id, let group = grouped[id] else { return nil }
            return line(c.name(language), group, now: now, language: language)
        }
    }

    /// Lines per calendar month of reporting, newest first.
    static func perMonth(_ rows: [Row], now: Date, language: Language) -> [Line] {
        let formatter = DutchTime.formatter("MMMM yyyy", locale: language == .nl ? "nl_NL" : "en_GB")
        let calendar = DutchTime.calendar
        let grouped = Dictionary(grouping: rows) { calendar.dateInterval(of: .month, for: $0.reported)!.start }
        return grouped.keys.sorted(by: >).map { month in line(formatter.string(from: month), grouped[month]!, now: now, language: language) }
    }
}

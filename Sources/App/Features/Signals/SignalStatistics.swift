import Vapor
import Fluent
import SQLKit
import NIOConcurrencyHelpers
import Domain

/// Figures for dashboards and the public area page: open, overdue and escalated signals, and the median and
/// 90th-percentile handling time (reported → closed, in days) per category and per month.
enum SignalStatistics {
    struct Row: Sendable { var category: UUID; var reported: Date; var closed: Date?; var state: SignalState; var deadline: Date?; var escalated: Bool }

    struct Line: Encodable {
        var label: String; var reported: Int; var open: Int; var overdue: Int; var escalated: Int; var closed: Int; var median: String; var p90: String
        /// Handled by the deadline, and handled after it (handling time against the deadline).
        var onTime: Int = 0; var late: Int = 0
    }

    /// The rows for a filter, kept for a minute: the figures cover twelve months, so a minute's delay is
    /// invisible, and a busy area page or dashboard reads the database once a minute instead of per request.
    static func cachedRows(_ filter: SignalFilter, now: Date, app: Application) async throws -> [Row] {
        let key = filter.cacheKey
        let minute = Int(now.timeIntervalSince1970 / 60)
        if let hit = app.signalStatisticsCache.withLockedValue({ $0[key] }), hit.minute == minute { return hit.rows }
        let rows = try await Self.rows(filter, since: now.addingTimeInterval(-365 * 86_400), on: app.db)
        app.signalStatisticsCache.withLockedValue { cache in
            if cache.count > 5_000 { cache.removeAll() }
            cache[key] = (minute, rows)
        }
        return rows
    }

    /// The signals reported since a moment within a filter, reduced to what the figures need. Read with
    /// plain SQL into a small struct: at a million signals, building full models would dominate.
    static func rows(_ filter: SignalFilter, since: Date, on db: any Database) async throws -> [Row] {
        guard let sql = db as? any SQLDatabase, !filter.nothing else { return [] }
        struct Raw: Decodable { var category_id: UUID; var reported_at: Date; var closed_at: Date?; var state: String; var deadline: Date?; var escalation_level: Int }
        let query = sql.select().columns("category_id", "reported_at", "closed_at", "state", "deadline", "escalation_level").from(Signal.schema)
            .where("reported_at", .greaterThanOrEqual, SQLBind(since))
        filter.apply(to: query)
        return try await query.all(decoding: Raw.self).map { r in
            Row(category: r.category_id, reported: r.reported_at, closed: r.closed_at, state: SignalState(rawValue: r.state) ?? .gemeld,
                deadline: r.deadline, escalated: r.escalation_level > 0)
        }
    }

    static func days(_ value: Double?, _ language: Language) -> String {
        guard let value else { return "–" }
        return Format.decimal((value / 86_400 * 10).rounded() / 10, language)
    }

    static func line(_ label: String, _ rows: [Row], now: Date, language: Language) -> Line {
        let done = rows.filter { $0.state == .afgehandeld && $0.closed != nil }
        let handled = done.map { $0.closed!.timeIntervalSince($0.reported) }
        let summary = HandlingStatistics.summary(handled)
        let open = rows.filter { !$0.state.isClosed }
        let late = done.filter { r in r.deadline.map { r.closed! > $0 } ?? false }.count
        return Line(label: label, reported: rows.count, open: open.count,
                    overdue: open.filter { EscalationLadder.isOverdue(deadline: $0.deadline, state: $0.state, now: now) }.count,
                    escalated: open.filter(\.escalated).count, closed: handled.count,
                    median: days(summary.median, language), p90: days(summary.p90, language), onTime: done.count - late, late: late)
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
        guard let oldest = rows.map(\.reported).min() else { return [] }
        // Month boundaries once (Calendar is slow per row on Linux), then each row by binary search.
        let calendar = DutchTime.calendar
        var starts: [Date] = []
        var month = calendar.dateInterval(of: .month, for: oldest)!.start
        while month <= now {
            starts.append(month)
            month = calendar.date(byAdding: .month, value: 1, to: month)!
        }
        func bucket(_ date: Date) -> Int {
            var low = 0, high = starts.count - 1
            while low < high {
                let mid = (low + high + 1) / 2
                if starts[mid] <= date { low = mid } else { high = mid - 1 }
            }
            return low
        }
        let grouped = Dictionary(grouping: rows) { bucket($0.reported) }
        let locale = language == .nl ? "nl_NL" : "en_GB"
        return grouped.keys.sorted(by: >).map { i in
            line(DutchTime.string(from: starts[i], pattern: "MMMM yyyy", locale: locale), grouped[i]!, now: now, language: language)
        }
    }
}

/// Which signals a view covers: the actor's scope (municipality, areas or department) and optional filters,
/// applied the same way to Fluent queries and to plain SQL.
struct SignalFilter {
    var municipality: UUID
    var areas: [UUID]? = nil
    var departmentScope: UUID? = nil
    var nothing = false
    var area: UUID? = nil
    var department: UUID? = nil

    var cacheKey: String {
        [municipality.uuidString, areas.map { $0.map(\.uuidString).sorted().joined(separator: ",") } ?? "*", departmentScope?.uuidString ?? "*",
         nothing ? "none" : "", area?.uuidString ?? "*", department?.uuidString ?? "*"].joined(separator: "|")
    }

    static func scope(of actor: Actor, municipality: UUID) -> SignalFilter {
        // The same rule as for one signal (`Permissions.allows(_, .viewSignal)`), as query conditions.
        var f = SignalFilter(municipality: municipality)
        switch Permissions.signalVisibility(actor, municipality: municipality) {
        case .all: break
        case .areas(let ids): f.areas = Array(ids)
        case .department(let d): f.departmentScope = d
        case .none: f.nothing = true
        }
        return f
    }

    @discardableResult
    func apply(to q: QueryBuilder<Signal>) -> QueryBuilder<Signal> {
        q.filter(\.$municipality.$id == municipality)
        if nothing { q.filter(\.$id == UUID()) }
        if let areas { q.filter(\.$area.$id ~~ areas) }
        if let departmentScope { q.filter(\.$department.$id == departmentScope) }
        if let area { q.filter(\.$area.$id == area) }
        if let department { q.filter(\.$department.$id == department) }
        return q
    }

    func apply(to q: SQLSelectBuilder) {
        q.where("municipality_id", .equal, SQLBind(municipality))
        if let areas { q.where("area_id", .in, SQLBind.group(areas.isEmpty ? [UUID()] : areas)) }
        if let departmentScope { q.where("department_id", .equal, SQLBind(departmentScope)) }
        if let area { q.where("area_id", .equal, SQLBind(area)) }
        if let department { q.where("department_id", .equal, SQLBind(department)) }
    }
}

extension Application {
    private struct SignalStatisticsCacheKey: StorageKey { typealias Value = NIOLockedValueBox<[String: (minute: Int, rows: [SignalStatistics.Row])]> }
    /// Per filter, the rows of the last twelve months and the minute they were read in.
    var signalStatisticsCache: NIOLockedValueBox<[String: (minute: Int, rows: [SignalStatistics.Row])]> {
        if let cache = storage[SignalStatisticsCacheKey.self] { return cache }
        let cache = NIOLockedValueBox<[String: (minute: Int, rows: [SignalStatistics.Row])]>([:])
        storage[SignalStatisticsCacheKey.self] = cache
        return cache
    }
}

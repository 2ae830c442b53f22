import Vapor
import Fluent
import SQLKit
import Domain

/// The staff inbox as a query, testable without HTTP: the signals an actor may see with a filter, in the
/// chosen order, one page at a time, with the counts the page shows.
struct InboxQuery {
    enum Sort: String, CaseIterable, Sendable {
        case deadline = "termijn", newest = "nieuw", oldest = "oud"
        var labelKey: String {
            switch self {
            case .deadline: return "deadline"
            case .newest: return "newest"
            case .oldest: return "oldest"
            }
        }
    }

    struct Filter: Sendable, Equatable {
        var area: UUID?
        var category: UUID?
        var department: UUID?
        var state: SignalState?
        var openOnly = true
        var overdueOnly = false
        var sort: Sort = .deadline
        var page = 1
        /// Free text: a tracking code, or words in the description or the place.
        var search: String?
        /// Only signals assigned to this user.
        var assignedTo: UUID?

        init() {}

        /// From the inbox's query string (`gebied`, `categorie`, `afdeling`, `status`, `open`, `te_laat`, `sorteer`, `pagina`).
        init(query q: URLQueryContainer) {
            area = q[String.self, at: "gebied"].flatMap(UUID.init(uuidString:))
            category = q[String.self, at: "categorie"].flatMap(UUID.init(uuidString:))
            department = q[String.self, at: "afdeling"].flatMap(UUID.init(uuidString:))
            state = q[String.self, at: "status"].flatMap(SignalState.init(rawValue:))
            openOnly = (q[String.self, at: "open"] ?? "ja") == "ja"
            overdueOnly = q[String.self, at: "te_laat"] == "ja"
            sort = q[String.self, at: "sorteer"].flatMap(Sort.init(rawValue:)) ?? .deadline
            page = min(100_000, max(1, q[Int.self, at: "pagina"] ?? 1))
            search = q[String.self, at: "zoek"].map { String($0.trimmingCharacters(in: .whitespacesAndNewlines).prefix(100)) }.flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    struct Result {
        var signals: [Signal]
        /// Signals matching the filter.
        var total: Int
        /// Open signals past their deadline in the actor's whole scope.
        var overdue: Int
    }

    static let pageSize = 50

    /// The signals this actor may see, as a query (the same rule as for one signal: `Permissions.signalVisibility`).
    static func scoped(_ actor: Actor, municipality: UUID, on db: any Database) -> QueryBuilder<Signal> {
        SignalFilter.scope(of: actor, municipality: municipality).apply(to: Signal.query(on: db))
    }

    static func run(_ filter: Filter, actor: Actor, municipality mid: UUID, categories: [SignalCategory], now: Date,
                    pageSize: Int = InboxQuery.pageSize, on db: any Database) async throws -> Result {
        // An alderman's list: only what was escalated to the alderman (the "laatste redmiddel").
        let onlyEscalations = Permissions.signalListShowsOnlyEscalations(actor.role)
        let escalated = onlyEscalations ? try await SignalEscalation.query(on: db).filter(\.$role == actor.role).all(\.$signal.$id) : []
        func filtered() -> QueryBuilder<Signal> {
            let b = scoped(actor, municipality: mid, on: db)
            if let area = filter.area { b.filter(\.$area.$id == area) }
            if let category = filter.category {
                b.filter(\.$category.$id ~~ ([category] + categories.filter { $0.parentID == category }.compactMap(\.id)))
            }
            if let department = filter.department { b.filter(\.$department.$id == department) }
            if let state = filter.state { b.filter(\.$state == state) } else if filter.openOnly || filter.overdueOnly { b.filter(\.$state ~~ SignalJobs.openStates) }
            if filter.overdueOnly { b.filter(\.$deadline < now) }
            if let user = filter.assignedTo { b.filter(\.$assignee.$id == user) }
            if let term = filter.search {
                // Case-insensitive words in the description or the place (LIKE's wildcards in the term are escaped);
                // a term that reads as a tracking code also finds that signal (an eight-letter word can be either).
                let pattern = "%" + term.lowercased().replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                    .replacingOccurrences(of: "_", with: "\\_") + "%"
                b.group(.or) { or in
                    if let code = TrackingCode.normalise(term) { or.filter(\.$trackingCode == code) }
                    or.filter(.custom(SQLQueryString("lower(description) LIKE \(bind: pattern) ESCAPE '\\'")))
                    or.filter(.custom(SQLQueryString("lower(place) LIKE \(bind: pattern) ESCAPE '\\'")))
                }
            }
            if onlyEscalations { b.filter(\.$id ~~ escalated) }
            return b
        }
        let total = try await filtered().count()
        let overdue = try await scoped(actor, municipality: mid, on: db).filter(\.$state ~~ SignalJobs.openStates).filter(\.$deadline < now).count()
        let list = filtered()
        switch filter.sort {
        case .newest: list.sort(\.$reportedAt, .descending)
        case .oldest: list.sort(\.$reportedAt, .ascending)
        case .deadline: list.sort(\.$deadline, .ascending)
        }
        list.sort(\.$id) // a stable order within equal dates, so paging never shows a signal twice
        let signals = try await list.range(((filter.page - 1) * pageSize)..<(filter.page * pageSize)).all()
        return Result(signals: signals, total: total, overdue: overdue)
    }
}

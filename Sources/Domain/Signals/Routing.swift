import Foundation

/// A routing rule: when a signal matches, it goes to this department (and optionally this person).
/// Empty conditions match everything; a rule on a main category also matches its sub categories.
public struct RoutingRule: Sendable, Equatable {
    public var id: UUID
    public var position: Int
    public var categoryID: UUID?
    public var areaID: UUID?
    /// Weekdays as `Calendar` counts them (1 = Sunday … 7 = Saturday); empty = every day.
    public var weekdays: Set<Int>
    /// Minutes after midnight, Dutch time; a window may run over midnight (e.g. 17:00–08:00).
    public var fromMinute: Int?
    public var toMinute: Int?
    public var departmentID: UUID
    public var assigneeID: UUID?

    public init(id: UUID = UUID(), position: Int, categoryID: UUID? = nil, areaID: UUID? = nil, weekdays: Set<Int> = [],
                fromMinute: Int? = nil, toMinute: Int? = nil, departmentID: UUID, assigneeID: UUID? = nil) {
        self.id = id
        self.position = position
        self.categoryID = categoryID
        self.areaID = areaID
        self.weekdays = weekdays
        self.fromMinute = fromMinute
        self.toMinute = toMinute
        self.departmentID = departmentID
        self.assigneeID = assigneeID
    }

    public enum Problem: String, Error, Sendable { case weekdayOutOfRange, minuteOutOfRange, windowIncomplete, emptyWindow }

    public func problems() -> [Problem] {
        var out: [Problem] = []
        if weekdays.contains(where: { !(1...7).contains($0) }) { out.append(.weekdayOutOfRange) }
        if (fromMinute == nil) != (toMinute == nil) { out.append(.windowIncomplete) }
        if [fromMinute, toMinute].compactMap({ $0 }).contains(where: { !(0...1440).contains($0) }) { out.append(.minuteOutOfRange) }
        if let f = fromMinute, let t = toMinute, f == t { out.append(.emptyWindow) }
        return out
    }
}

/// What routing looks at.
public struct RoutingInput: Sendable {
    public var categoryID: UUID
    public var mainCategoryID: UUID?
    public var areaID: UUID?
    public var at: Date
    public init(categoryID: UUID, mainCategoryID: UUID?, areaID: UUID?, at: Date) {
        self.categoryID = categoryID
        self.mainCategoryID = mainCategoryID
        self.areaID = areaID
        self.at = at
    }
}

public enum Routing {
    public static func matches(_ rule: RoutingRule, _ input: RoutingInput) -> Bool {
        if let c = rule.categoryID, c != input.categoryID, c != input.mainCategoryID { return false }
        if let a = rule.areaID, a != input.areaID { return false }
        let parts = DutchTime.calendar.dateComponents([.weekday, .hour, .minute], from: input.at)
        if !rule.weekdays.isEmpty, !rule.weekdays.contains(parts.weekday!) { return false }
        if let from = rule.fromMinute, let to = rule.toMinute {
            let minute = parts.hour! * 60 + parts.minute!
            let inside = from < to ? (minute >= from && minute < to) : (minute >= from || minute < to)
            if !inside { return false }
        }
        return true
    }

    /// The first rule (by position) that matches, or nil when none does.
    public static func route(_ input: RoutingInput, rules: [RoutingRule]) -> RoutingRule? {
        rules.sorted { ($0.position, $0.id.uuidString) < ($1.position, $1.id.uuidString) }.first { matches($0, input) }
    }
}

import Foundation

/// Wijkwerk's own indicators (domain.md §8) for a period: computed from what happened in Wijkwerk, per area.
/// The same rule serves the headline (the twelve months before the profile's date) and the trend (calendar
/// years), so a figure in a trend is the figure the profile showed for that year.
public enum OwnFigures {
    public struct SignalCase: Sendable {
        public var area: UUID
        public var reportedAt: Date
        /// When it was closed as handled (nil while open or when closed otherwise).
        public var handledAt: Date?
        public var deadline: Date?
        public init(area: UUID, reportedAt: Date, handledAt: Date?, deadline: Date?) {
            self.area = area
            self.reportedAt = reportedAt
            self.handledAt = handledAt
            self.deadline = deadline
        }
    }

    /// A dated event with an amount: an initiative submitted (amount: cents granted), an idea support confirmed
    /// (amount 1), a public council meeting held (amount 1).
    public struct Event: Sendable {
        public var area: UUID
        public var at: Date
        public var amount: Int
        public init(area: UUID, at: Date, amount: Int = 1) {
            self.area = area
            self.at = at
            self.amount = amount
        }
    }

    public struct Inputs: Sendable {
        public var signals: [SignalCase]
        public var initiatives: [Event]
        public var ideaSupports: [Event]
        public var meetings: [Event]
        /// Areas that have a council (an area without one has no meeting figure, rather than 0).
        public var areasWithCouncil: Set<UUID>
        public init(signals: [SignalCase] = [], initiatives: [Event] = [], ideaSupports: [Event] = [], meetings: [Event] = [], areasWithCouncil: Set<UUID> = []) {
            self.signals = signals
            self.initiatives = initiatives
            self.ideaSupports = ideaSupports
            self.meetings = meetings
            self.areasWithCouncil = areasWithCouncil
        }
    }

    /// The figures per area for signals reported, initiatives submitted, supports confirmed and meetings held
    /// within the period. Signal figures from fewer cases than `minimum` are left out (suppressed).
    public static func compute(_ inputs: Inputs, period: DateInterval, inhabitants: [UUID: Int], minimum: Int) -> [UUID: [String: Double]] {
        func inPeriod(_ d: Date) -> Bool { d >= period.start && d < period.end }
        let signals = Dictionary(grouping: inputs.signals.filter { inPeriod($0.reportedAt) }, by: \.area)
        let initiatives = Dictionary(grouping: inputs.initiatives.filter { inPeriod($0.at) }, by: \.area)
        let supports = Dictionary(grouping: inputs.ideaSupports.filter { inPeriod($0.at) }, by: \.area)
        let meetings = Dictionary(grouping: inputs.meetings.filter { inPeriod($0.at) }, by: \.area)
        var out: [UUID: [String: Double]] = [:]
        for (area, people) in inhabitants {
            var f: [String: Double] = [:]
            let population = Double(people)
            let mine = signals[area] ?? []
            if population > 0, mine.count >= minimum { f["signalsPer1000"] = Double(mine.count) / population * 1000 }
            let handled = mine.filter { $0.handledAt != nil }
            if handled.count >= minimum {
                let inTime = handled.filter { c in c.deadline.map { c.handledAt! <= $0 } ?? true }.count
                f["signalsInTime"] = Double(inTime) / Double(handled.count) * 100
                f["signalMedianDays"] = median(handled.map { $0.handledAt!.timeIntervalSince($0.reportedAt) / 86_400 })
            }
            if population > 0 {
                let granted = initiatives[area] ?? []
                f["initiativesPer1000"] = Double(granted.count) / population * 1000
                f["grantedPerInhabitant"] = Double(granted.reduce(0) { $0 + $1.amount }) / 100 / population
                f["ideaSupportsPer1000"] = Double((supports[area] ?? []).reduce(0) { $0 + $1.amount }) / population * 1000
            }
            if inputs.areasWithCouncil.contains(area) { f["councilMeetings"] = Double((meetings[area] ?? []).count) }
            out[area] = f
        }
        return out
    }

    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// The calendar years a trend covers: from the first year with any input (at most `span` years back) up to
    /// the last year that ended before `date`. A year still running is not a year's figure.
    public static func trendYears(_ inputs: Inputs, before date: Date, calendar: Calendar, span: Int = 10) -> [Int] {
        let dates = inputs.signals.map(\.reportedAt) + inputs.initiatives.map(\.at) + inputs.ideaSupports.map(\.at) + inputs.meetings.map(\.at)
        guard let first = dates.min() else { return [] }
        let last = calendar.component(.year, from: date) - 1
        let start = max(calendar.component(.year, from: first), last - span + 1)
        return start <= last ? Array(start...last) : []
    }
}

/// Reach against the area's make-up (seed 003: beyond the usual suspects): the age groups of the people who
/// answered the voluntary question on a channel, set against the area's population in the same groups. Only
/// counts per area, channel, year and group exist; no answer is linked to a report or a person.
public enum ReachByAge {
    /// The groups CBS publishes per wijk (shares of inhabitants).
    public static let groups: [(key: String, indicator: String)] = [
        ("0-14", "age0to14"), ("15-24", "age15to24"), ("25-44", "age25to44"), ("45-64", "age45to64"), ("65+", "age65plus"),
    ]

    public struct Line: Hashable, Sendable {
        public var group: String
        /// The share of the channel's answers in this group (nil below the minimum number of answers).
        public var share: Double?
        /// The share of the area's inhabitants in this group (nil without a CBS figure).
        public var population: Double?
        /// share ÷ population: 1 is in proportion, below 1 under-represented.
        public var ratio: Double?
    }

    public static func compare(counts: [String: Int], population: [String: Double], minimum: Int) -> [Line] {
        let total = counts.values.reduce(0, +)
        return groups.map { g in
            let share = total >= minimum ? Double(counts[g.key] ?? 0) / Double(total) * 100 : nil
            let pop = population[g.indicator]
            let ratio = share.flatMap { s in pop.flatMap { $0 > 0 ? s / $0 : nil } }
            return Line(group: g.key, share: share, population: pop, ratio: ratio)
        }
    }

    public static func isGroup(_ key: String) -> Bool { groups.contains { $0.key == key } }
}

/// The village's own view (dorpsspiegel): a story says what goes well, what could be better, or both.
public enum AreaStoryRules {
    public static let maxText = 3000
    public static let maxSignature = 80
    public static let maxPhotos = 3

    /// Whether a story says anything: at least one of its two questions answered.
    public static func saysSomething(goesWell: String?, couldBeBetter: String?) -> Bool {
        !(goesWell ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || !(couldBeBetter ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }
}

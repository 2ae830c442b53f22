import Foundation

/// Signals as a monitor for the municipal council and the area councils (the complaint of Amsterdam's audit
/// office about Signalen: too little reaches them, recurring problems are not solved structurally): per subject
/// the number per 1,000 inhabitants, the share handled in time and the satisfaction from the feedback question;
/// and recurring problems, the same subject in the same buurt again and again, to take into the area's agenda.
/// Figures from fewer cases than the minimum are suppressed, so no resident can be recognised.
public enum SignalMonitor {
    public struct Case: Sendable {
        public var subject: String
        public var neighbourhood: String?
        public var reportedAt: Date
        /// For a closed signal: whether it was closed by its deadline; nil while open.
        public var closedInTime: Bool?
        /// The reporter's answer to the feedback question, when given.
        public var satisfied: Bool?
        public init(subject: String, neighbourhood: String?, reportedAt: Date, closedInTime: Bool?, satisfied: Bool?) {
            self.subject = subject
            self.neighbourhood = neighbourhood
            self.reportedAt = reportedAt
            self.closedInTime = closedInTime
            self.satisfied = satisfied
        }
    }

    public struct Line: Hashable, Sendable {
        public var subject: String
        /// Nil when suppressed (fewer cases than the minimum).
        public var count: Int?
        public var perThousand: Double?
        public var inTimeShare: Double?
        public var satisfaction: Double?
    }

    public static func perSubject(_ cases: [Case], inhabitants: Int?, minimum: Int) -> [Line] {
        Dictionary(grouping: cases, by: \.subject).map { subject, mine in
            guard mine.count >= minimum else { return Line(subject: subject, count: nil, perThousand: nil, inTimeShare: nil, satisfaction: nil) }
            let closed = mine.compactMap(\.closedInTime)
            let answers = mine.compactMap(\.satisfied)
            return Line(subject: subject, count: mine.count,
                        perThousand: inhabitants.flatMap { $0 > 0 ? Double(mine.count) / Double($0) * 1000 : nil },
                        inTimeShare: closed.count >= minimum ? Double(closed.filter { $0 }.count) / Double(closed.count) * 100 : nil,
                        satisfaction: answers.count >= minimum ? Double(answers.filter { $0 }.count) / Double(answers.count) * 100 : nil)
        }.sorted { ($0.count ?? 0, $1.subject) > ($1.count ?? 0, $0.subject) }
    }

    public struct Recurring: Hashable, Sendable {
        public var subject: String
        public var neighbourhood: String
        public var count: Int
        public var first: Date
        public var last: Date
    }

    /// The same subject in the same buurt at least `threshold` times within the period the cases cover.
    public static func recurring(_ cases: [Case], threshold: Int) -> [Recurring] {
        var groups: [String: [Case]] = [:]
        for c in cases { if let n = c.neighbourhood { groups[c.subject + "\u{1F}" + n, default: []].append(c) } }
        return groups.compactMap { key, mine -> Recurring? in
            guard mine.count >= threshold else { return nil }
            let parts = key.components(separatedBy: "\u{1F}")
            let dates = mine.map(\.reportedAt)
            return Recurring(subject: parts[0], neighbourhood: parts[1], count: mine.count, first: dates.min()!, last: dates.max()!)
        }.sorted { ($0.count, $1.subject, $1.neighbourhood) > ($1.count, $0.subject, $0.neighbourhood) }
    }
}

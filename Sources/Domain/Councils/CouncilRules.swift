import Foundation

/// Rules for wijk- en dorpsraden from the Oss document (seed 004), configurable where other municipalities differ.
/// Pure functions on values; the councils feature (issue 4) stores and shows them.
public enum CouncilRules {
    // MARK: Terms

    /// Council terms follow the municipal council: 4 years from a start date per municipality (in the Netherlands
    /// municipal elections were held in March 2018, 2022 and 2026; the next are in 2030).
    public struct TermCalendar: Hashable, Sendable {
        /// The start of one known term, e.g. 1 May 2026; every term starts `years` after the previous one.
        public var anchor: DateComponents
        public var years: Int

        public init(anchorYear: Int, month: Int = 5, day: Int = 1, years: Int = 4) {
            anchor = DateComponents(year: anchorYear, month: month, day: day)
            self.years = years
        }

        static var calendar: Calendar { DutchTime.calendar }

        func start(ofTermNumber n: Int) -> Date {
            var components = anchor
            components.year = anchor.year! + n * years
            return Self.calendar.date(from: components)!
        }

        /// The term that contains the date: its start (inclusive) and end (exclusive, the next term's start).
        public func term(containing date: Date) -> (start: Date, end: Date) {
            var n = 0
            while start(ofTermNumber: n) > date { n -= 1 }
            while start(ofTermNumber: n + 1) <= date { n += 1 }
            return (start(ofTermNumber: n), start(ofTermNumber: n + 1))
        }

        public func nextStart(after date: Date) -> Date { term(containing: date).end }
    }

    // MARK: Eligibility

    /// What a candidate declares and what the system looked up.
    public struct CandidateFacts: Hashable, Sendable {
        /// The area the candidate's address or buurt lies in (nil when it could not be found).
        public var livesInArea: UUID?
        public var politicallyActive: Bool
        public var employedByMunicipality: Bool
        /// Whether the candidate's e-mail belongs to a staff account of the municipality.
        public var hasStaffAccount: Bool
        public var inSelectionGroup: Bool

        public init(livesInArea: UUID?, politicallyActive: Bool, employedByMunicipality: Bool, hasStaffAccount: Bool, inSelectionGroup: Bool) {
            self.livesInArea = livesInArea
            self.politicallyActive = politicallyActive
            self.employedByMunicipality = employedByMunicipality
            self.hasStaffAccount = hasStaffAccount
            self.inSelectionGroup = inSelectionGroup
        }
    }

    public enum Ineligibility: String, Hashable, Sendable, CaseIterable {
        case livesOutsideArea
        case addressUnknown
        case politicallyActive
        case employedByMunicipality
        case staffAccount
        case inSelectionGroup
    }

    /// Every rule the candidate does not meet (members live in the area, are not active in local politics, do not
    /// work for the municipality, and nobody in the selection group may be a candidate), in a fixed order.
    public static func ineligibilities(_ c: CandidateFacts, councilArea: UUID) -> [Ineligibility] {
        var out: [Ineligibility] = []
        if let area = c.livesInArea { if area != councilArea { out.append(.livesOutsideArea) } } else { out.append(.addressUnknown) }
        if c.politicallyActive { out.append(.politicallyActive) }
        if c.employedByMunicipality { out.append(.employedByMunicipality) }
        if c.hasStaffAccount { out.append(.staffAccount) }
        if c.inSelectionGroup { out.append(.inSelectionGroup) }
        return out
    }

    // MARK: Six public meetings a year

    public enum MeetingStatus: String, Hashable, CaseIterable, Codable, Sendable { case planned, held, cancelled }

    /// Advice the college or a department asked for, or advice a council gives on its own initiative.
    public enum AdviceKind: String, Hashable, CaseIterable, Codable, Sendable { case requested, unsolicited }

    public struct Meeting: Hashable, Sendable {
        public var date: Date
        public var isPublic: Bool
        public var status: MeetingStatus
        public init(date: Date, isPublic: Bool, status: MeetingStatus) {
            self.date = date
            self.isPublic = isPublic
            self.status = status
        }
    }

    public enum Compliance: String, Hashable, Sendable {
        /// At least the minimum held.
        case met
        /// Held plus still planned (in the future) reaches the minimum.
        case onTrack
        /// Even with every planned meeting the minimum is not reached this year.
        case atRisk
        /// The year is over and the minimum was not held.
        case missed
    }

    public struct YearCompliance: Hashable, Sendable {
        public var year: Int
        public var held: Int
        public var planned: Int
        public var minimum: Int
        public var status: Compliance
    }

    /// Public meetings in a calendar year against the minimum (6 in Oss). Only public meetings count; a planned
    /// meeting counts only if it is still ahead of `now`.
    public static func compliance(of meetings: [Meeting], year: Int, minimum: Int = 6, now: Date) -> YearCompliance {
        let calendar = TermCalendar.calendar
        let inYear = meetings.filter { $0.isPublic && calendar.component(.year, from: $0.date) == year }
        let held = inYear.filter { $0.status == .held && $0.date <= now }.count
        let planned = inYear.filter { $0.status == .planned && $0.date > now }.count
        let yearEnd = calendar.date(from: DateComponents(year: year + 1, month: 1, day: 1))!
        let status: Compliance
        if held >= minimum { status = .met }
        else if now >= yearEnd { status = .missed }
        else if held + planned >= minimum { status = .onTrack }
        else { status = .atRisk }
        return YearCompliance(year: year, held: held, planned: planned, minimum: minimum, status: status)
    }

    /// A meeting planned in the past is a mistake: it was held, cancelled, or its date is wrong.
    public static func plannedInThePast(_ meeting: Meeting, now: Date) -> Bool {
        meeting.status == .planned && meeting.date < now
    }

    // MARK: Advice and the college's answer

    public enum AdviceStatus: String, Hashable, Sendable { case asked, inPreparation, given, answered, answerOverdue }

    public struct Advice: Hashable, Sendable {
        public var askedOn: Date?
        public var preparationStarted: Bool
        public var givenOn: Date?
        public var answeredOn: Date?
        public init(askedOn: Date?, preparationStarted: Bool = false, givenOn: Date? = nil, answeredOn: Date? = nil) {
            self.askedOn = askedOn
            self.preparationStarted = preparationStarted
            self.givenOn = givenOn
            self.answeredOn = answeredOn
        }
    }

    /// The date the college's answer is due: the given advice plus the answer term (default 6 weeks).
    public static func answerDue(givenOn: Date, termDays: Int = 42) -> Date {
        TermCalendar.calendar.date(byAdding: .day, value: termDays, to: givenOn)!
    }

    public static func status(of advice: Advice, now: Date, termDays: Int = 42) -> AdviceStatus {
        if advice.answeredOn != nil { return .answered }
        if let given = advice.givenOn { return now > answerDue(givenOn: given, termDays: termDays) ? .answerOverdue : .given }
        return advice.preparationStarted ? .inPreparation : .asked
    }

    public enum AdviceProblem: String, Error, Hashable, Sendable { case answerBeforeAdvice, adviceBeforeQuestion }

    /// Dates must follow the order question → advice → answer.
    public static func validate(_ advice: Advice) -> [AdviceProblem] {
        var problems: [AdviceProblem] = []
        if let answered = advice.answeredOn, advice.givenOn.map({ answered < $0 }) ?? true { problems.append(.answerBeforeAdvice) }
        if let asked = advice.askedOn, let given = advice.givenOn, given < asked { problems.append(.adviceBeforeQuestion) }
        return problems
    }

    // MARK: Theme groups

    /// A theme group runs shorter than a council term (seed 001, recommendation 4a) and ends after it starts.
    public static func themeGroupPeriodIsValid(start: Date, end: Date, termYears: Int = 4) -> Bool {
        guard end > start, let limit = TermCalendar.calendar.date(byAdding: .year, value: termYears, to: start) else { return false }
        return end < limit
    }
}

import Foundation

/// Where an initiative is in its life (issue 12): draft → submitted → in review (questions back to the initiators
/// are possible) → to decision → granted / declined → in execution → accounted → closed; withdrawn by the
/// initiators until the money is paid (after that they account for what they did).
public enum InitiativeStatus: String, CaseIterable, Codable, Sendable {
    case draft, submitted, inReview, waitingForInitiators, toDecision, granted, declined, inExecution, accounted, closed, withdrawn

    /// Whether the initiative is finished (nothing more happens to it).
    public var isFinal: Bool { [.declined, .closed, .withdrawn].contains(self) }

    /// Shown on public pages: a draft is the initiators' own.
    public var isPublic: Bool { self != .draft }

    /// Whether money of a budget is reserved for it now.
    public var holdsCommitment: Bool { self == .granted }
}

/// Who takes a step.
public enum InitiativeStep: String, CaseIterable, Codable, Sendable {
    /// Initiators: submit a draft, answer a question, withdraw, account for the result.
    case submit, answer, withdraw, account
    /// Coordinator: take in review, ask a question, send to decision, start execution (pay), close after the accounting.
    case review, ask, sendToDecision, startExecution, close
    /// The one who decides (council in a meeting, coordinator under mandate, department).
    case grant, decline

    public var byInitiators: Bool { [.submit, .answer, .withdraw, .account].contains(self) }
}

public enum InitiativeLifecycle {
    /// The status after a step, or nil when the step is not possible in this status.
    public static func next(_ status: InitiativeStatus, _ step: InitiativeStep) -> InitiativeStatus? {
        switch (status, step) {
        case (.draft, .submit): return .submitted
        case (.submitted, .review), (.waitingForInitiators, .answer): return .inReview
        case (.inReview, .ask), (.submitted, .ask): return .waitingForInitiators
        case (.inReview, .sendToDecision): return .toDecision
        case (.toDecision, .grant): return .granted
        case (.toDecision, .decline): return .declined
        case (.granted, .startExecution): return .inExecution
        case (.inExecution, .account): return .accounted
        case (.accounted, .close): return .closed
        case (.draft, .withdraw), (.submitted, .withdraw), (.inReview, .withdraw), (.waitingForInitiators, .withdraw),
             (.toDecision, .withdraw), (.granted, .withdraw):
            return .withdrawn
        default: return nil
        }
    }

    /// The steps possible in a status (for the forms a page offers).
    public static func steps(from status: InitiativeStatus) -> [InitiativeStep] {
        InitiativeStep.allCases.filter { next(status, $0) != nil }
    }
}

/// Who decides on the money of a budget (issue 12: configured per budget).
public enum BudgetDecider: String, CaseIterable, Codable, Sendable {
    /// The area's council, in a public meeting; the grant is one of that meeting's numbered decisions.
    case council
    /// The area coordinator under mandate ("handgeld"), up to a limit per decision.
    case coordinator
    /// A department (for example the one whose task a right-to-challenge takes over).
    case department
}

/// The kinds of area budgets; a municipality can add its own names to `other`.
public enum BudgetKind: String, CaseIterable, Codable, Sendable { case initiatives, discretionary, other }

public enum GrantRules {
    public enum Problem: String, Error, Sendable {
        case amountNotPositive, aboveRequested, aboveMandate, meetingRequired, meetingNotHeld, meetingOfOtherCouncil, meetingNotPublic, motivationMissing
    }

    /// What a meeting looks like to the rule: whose it is, whether it has started and whether it is public
    /// (004: subsidy decisions are taken and announced in the council's public meetings).
    public struct Meeting: Sendable {
        public var councilOfTheArea: Bool
        public var started: Bool
        public var isPublic: Bool
        public init(councilOfTheArea: Bool, started: Bool, isPublic: Bool = true) {
            self.councilOfTheArea = councilOfTheArea
            self.started = started
            self.isPublic = isPublic
        }
    }

    /// Problems with a grant of `cents` for an initiative that asked `requested` (both in cents). A grant may be
    /// smaller than what was asked (granted in part), never larger; above the mandate limit the coordinator cannot
    /// decide; a council decides only in one of its own meetings that has started.
    public static func problems(grant cents: Int, requested: Int, decider: BudgetDecider, mandateLimit: Int?, meeting: Meeting?, motivation: String) -> [Problem] {
        var out: [Problem] = []
        if cents <= 0 { out.append(.amountNotPositive) }
        if cents > requested { out.append(.aboveRequested) }
        if decider == .coordinator, let limit = mandateLimit, cents > limit { out.append(.aboveMandate) }
        out += meetingProblems(decider: decider, meeting: meeting)
        if motivation.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { out.append(.motivationMissing) }
        return out
    }

    /// A refusal needs a motivation, and (for a council's budget) a meeting like a grant.
    public static func declineProblems(decider: BudgetDecider, meeting: Meeting?, motivation: String) -> [Problem] {
        var out = meetingProblems(decider: decider, meeting: meeting)
        if motivation.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { out.append(.motivationMissing) }
        return out
    }

    private static func meetingProblems(decider: BudgetDecider, meeting: Meeting?) -> [Problem] {
        guard decider == .council else { return [] }
        guard let meeting else { return [.meetingRequired] }
        if !meeting.councilOfTheArea { return [.meetingOfOtherCouncil] }
        if !meeting.started { return [.meetingNotHeld] }
        if !meeting.isPublic { return [.meetingNotPublic] }
        return []
    }

    /// After the accounting: what was not spent goes back to the budget (never more than was paid).
    public static func unspent(paid: Int, actualCosts: [Int]) -> Int {
        max(0, paid - actualCosts.reduce(0, +))
    }
}

/// An ordinary initiative, or a *right to challenge*: residents propose to take over a municipal task in their area
/// with its budget; the department that owns the task decides, from its own budget.
public enum InitiativeKind: String, CaseIterable, Codable, Sendable {
    case initiative, rightToChallenge

    /// Whether a budget may pay for an initiative of this kind: a right to challenge only from a budget of the
    /// department that owns the task.
    public func fits(budgetDecider: BudgetDecider, budgetDepartment: UUID?, taskDepartment: UUID?) -> Bool {
        switch self {
        case .initiative: return true
        case .rightToChallenge: return budgetDecider == .department && budgetDepartment != nil && budgetDepartment == taskDepartment
        }
    }
}

/// What an initiative asks besides money (004: "met geld, mensen, kennis, netwerken en speelruimte").
public enum SupportKind: String, CaseIterable, Codable, Sendable { case people, knowledge, network, place }

/// The initiative's public code: "INI-2026-0042".
public enum InitiativeCode {
    public static func make(year: Int, sequence: Int) -> String { String(format: "INI-%04d-%04d", year, sequence) }
    public static func isWellFormed(_ code: String) -> Bool { code.wholeMatch(of: /INI-[0-9]{4}-[0-9]{4,6}/) != nil }
}

/// Themes to find initiatives by (and to count money per theme on the transparency page).
public enum InitiativeTheme: String, CaseIterable, Codable, Sendable {
    case green, play, meeting, safety, culture, sport, care, sustainability, traffic, other
}

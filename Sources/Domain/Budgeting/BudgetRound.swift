import Foundation

/// A buurtbegroting round (domain.md §5, issue 15): residents bring ideas, departments check feasibility and
/// cost, residents vote with a code, and a stated rule computes the winners.
public enum RoundPhase: String, CaseIterable, Codable, Sendable {
    /// Announced: the dates are known, nothing can be submitted yet.
    case announced
    /// Residents submit ideas.
    case ideas
    /// Departments give each idea a cost and say whether it can be done, with a public reason.
    case feasibility
    /// Residents vote with their code; staff enter paper ballots.
    case voting
    /// Voting closed: the result is computed and waits for the round to be closed.
    case result
    /// Closed: the winners are funded initiatives and are carried out.
    case execution
}

/// The dates of a round (whole days, inclusive) and the phase on a given day.
public struct RoundSchedule: Equatable, Sendable {
    public var ideasFrom: Date
    public var ideasUntil: Date
    public var feasibilityUntil: Date
    public var votingFrom: Date
    public var votingUntil: Date

    public init(ideasFrom: Date, ideasUntil: Date, feasibilityUntil: Date, votingFrom: Date, votingUntil: Date) {
        self.ideasFrom = ideasFrom
        self.ideasUntil = ideasUntil
        self.feasibilityUntil = feasibilityUntil
        self.votingFrom = votingFrom
        self.votingUntil = votingUntil
    }

    public enum Problem: String, Error, Sendable {
        /// The ideas phase ends before it starts.
        case ideasEndBeforeStart
        /// The feasibility check ends before the ideas phase does.
        case feasibilityBeforeIdeas
        /// Voting starts before the feasibility check has ended.
        case votingBeforeFeasibility
        /// Voting ends before it starts.
        case votingEndsBeforeStart
    }

    /// What is wrong with the order of the dates, each with the field it is about.
    public var problems: [(field: String, problem: Problem)] {
        var out: [(String, Problem)] = []
        if ideasUntil < ideasFrom { out.append(("ideeen_tot", .ideasEndBeforeStart)) }
        if feasibilityUntil < ideasUntil { out.append(("haalbaarheid_tot", .feasibilityBeforeIdeas)) }
        if votingFrom <= feasibilityUntil { out.append(("stemmen_van", .votingBeforeFeasibility)) }
        if votingUntil < votingFrom { out.append(("stemmen_tot", .votingEndsBeforeStart)) }
        return out
    }

    /// The phase on `day` (the start of a day in Dutch time); a closed round is carried out whatever the date.
    public func phase(on day: Date, closed: Bool) -> RoundPhase {
        if closed { return .execution }
        if day < ideasFrom { return .announced }
        if day <= ideasUntil { return .ideas }
        if day < votingFrom { return .feasibility }
        if day <= votingUntil { return .voting }
        return .result
    }
}

/// How a ballot is valid, as in Decidim's budgets: by total cost (projects up to the round's money, optionally
/// at least a share of it), or by number of projects (a minimum and a maximum).
public enum BallotRule: Equatable, Sendable {
    case budget(limit: Int, minimumPercent: Int)
    case count(minimum: Int, maximum: Int)

    public enum Problem: Equatable, Sendable {
        case empty
        case overBudget(by: Int)
        case belowMinimum(short: Int)
        case tooFew(minimum: Int)
        case tooMany(maximum: Int)
    }

    /// The smallest total a valid ballot may have under a budget rule (rounded up).
    public var minimumTotal: Int {
        guard case .budget(let limit, let percent) = self else { return 0 }
        return (limit * percent + 99) / 100
    }

    /// Why a ballot with these projects' costs is not valid (empty when it is).
    public func problems(costs: [Int]) -> [Problem] {
        if costs.isEmpty { return [.empty] }
        switch self {
        case .budget(let limit, _):
            let total = costs.reduce(0, +)
            if total > limit { return [.overBudget(by: total - limit)] }
            if total < minimumTotal { return [.belowMinimum(short: minimumTotal - total)] }
            return []
        case .count(let minimum, let maximum):
            if costs.count < minimum { return [.tooFew(minimum: minimum)] }
            if costs.count > maximum { return [.tooMany(maximum: maximum)] }
            return []
        }
    }

    /// What a voter still has while choosing: money left (budget rule) or projects left (count rule).
    public func remaining(costs: [Int]) -> Int {
        switch self {
        case .budget(let limit, _): return limit - costs.reduce(0, +)
        case .count(_, let maximum): return maximum - costs.count
        }
    }

    public enum SettingsProblem: String, Error, Sendable {
        case percentOutOfRange, minimumAboveMaximum, minimumBelowOne
    }

    public var settingsProblems: [SettingsProblem] {
        switch self {
        case .budget(_, let percent): return (0...100).contains(percent) ? [] : [.percentOutOfRange]
        case .count(let minimum, let maximum):
            var out: [SettingsProblem] = []
            if minimum < 1 { out.append(.minimumBelowOne) }
            if maximum < minimum { out.append(.minimumAboveMaximum) }
            return out
        }
    }
}

/// Voting codes: one per resident or household, printed on a letter, used once. Only a hash is kept for
/// checking; the ballot keeps a second, different hash so a voter can later see which of their projects won,
/// while the code table and the ballot table cannot be joined on any column.
public enum VotingCode {
    /// Letters and digits that cannot be mistaken for each other (no 0/O, 1/I/L, 5/S, 2/Z).
    public static let alphabet = Array("ABCDEFGHJKMNPQRTUVWXY346789")

    /// A new code: 12 characters (about 57 bits) in groups of four, `ABCD-EFGH-JKMN`.
    public static func generate<R: RandomNumberGenerator>(using random: inout R) -> String {
        let chars = (0..<12).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] }
        return stride(from: 0, to: 12, by: 4).map { String(chars[$0..<$0 + 4]) }.joined(separator: "-")
    }

    /// A code as typed: case, spaces and dashes do not matter; nil when it cannot be a code at all.
    public static func normalise(_ typed: String) -> String? {
        let kept = typed.uppercased().filter { !$0.isWhitespace && $0 != "-" }
        guard kept.count == 12, kept.allSatisfy({ alphabet.contains($0) }) else { return nil }
        return kept
    }

    /// What is stored to recognise a code, and (with another purpose) what a ballot stores.
    public static func key(_ normalised: String, round: UUID, purpose: String) -> String {
        "\(purpose):\(round.uuidString.lowercased()):\(normalised)"
    }
}

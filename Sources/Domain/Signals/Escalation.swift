import Foundation

/// One step of a municipality's escalation ladder: so many working days after the handling deadline, the
/// signal goes to the people with this role (in the signal's area, its department, or the municipality).
public struct EscalationStep: Sendable, Equatable, Codable {
    public var level: Int
    public var workingDaysAfterDeadline: Int
    public var role: Role

    public init(level: Int, workingDaysAfterDeadline: Int, role: Role) {
        self.level = level
        self.workingDaysAfterDeadline = workingDaysAfterDeadline
        self.role = role
    }

    /// The ladder of domain.md §3: coordinator at the deadline, team lead after 5 working days, area manager
    /// after 10, the area alderman after 20 (the "laatste redmiddel").
    public static let standardLadder: [EscalationStep] = [
        EscalationStep(level: 1, workingDaysAfterDeadline: 0, role: .areaCoordinator),
        EscalationStep(level: 2, workingDaysAfterDeadline: 5, role: .teamLead),
        EscalationStep(level: 3, workingDaysAfterDeadline: 10, role: .areaManager),
        EscalationStep(level: 4, workingDaysAfterDeadline: 20, role: .areaAlderman),
    ]
}

public enum EscalationLadder {
    public enum Problem: String, Error, Sendable { case empty, levelsNotIncreasing, daysNotIncreasing, negativeDays, roleNotEscalatable }

    /// Roles a signal can be escalated to.
    public static let roles: [Role] = [.areaCoordinator, .teamLead, .areaManager, .areaAlderman, .executive]

    /// A ladder is valid when levels and days both go up step by step.
    public static func validate(_ ladder: [EscalationStep]) -> [Problem] {
        var out: [Problem] = []
        if ladder.isEmpty { out.append(.empty) }
        if ladder.contains(where: { $0.workingDaysAfterDeadline < 0 }) { out.append(.negativeDays) }
        if ladder.contains(where: { !roles.contains($0.role) }) { out.append(.roleNotEscalatable) }
        for (a, b) in zip(ladder, ladder.dropFirst()) {
            if b.level <= a.level { out.append(.levelsNotIncreasing) }
            if b.workingDaysAfterDeadline <= a.workingDaysAfterDeadline { out.append(.daysNotIncreasing) }
        }
        return Array(Set(out.map(\.rawValue))).sorted().compactMap(Problem.init(rawValue:))
    }

    /// When a step is reached: the deadline itself for step 0, else the end of the n-th working day after it.
    public static func moment(of step: EscalationStep, deadline: Date, holidays: DutchHolidays) -> Date {
        guard step.workingDaysAfterDeadline > 0 else { return deadline }
        return holidays.addingWorkingDays(step.workingDaysAfterDeadline, to: Day(deadline)).end
    }

    /// The steps that are due for an open signal and not yet recorded, lowest level first. A closed signal
    /// or one without a deadline escalates no further.
    public static func dueSteps(_ ladder: [EscalationStep], deadline: Date?, state: SignalState, now: Date,
                                alreadyEscalated: Set<Int>, holidays: DutchHolidays) -> [EscalationStep] {
        guard let deadline, !state.isClosed else { return [] }
        return ladder
            .filter { !alreadyEscalated.contains($0.level) && now > moment(of: $0, deadline: deadline, holidays: holidays) }
            .sorted { $0.level < $1.level }
    }

    /// Whether the signal is past its deadline and still open.
    public static func isOverdue(deadline: Date?, state: SignalState, now: Date) -> Bool {
        guard let deadline else { return false }
        return !state.isClosed && now > deadline
    }
}

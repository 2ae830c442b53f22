import Foundation

/// Theme groups (themagroepen, seed 001): residents of the whole municipality working on one topic for less than
/// a council term. When a theme group's and a council's advice on the same question differ, both are shown side by
/// side with the weight the municipality gives each.
public enum ThemeGroups {
    public enum Problem: String, Error, Sendable { case noAreas, periodTooLong, endBeforeStart }

    public static func problems(start: Date, end: Date, areaCount: Int, termYears: Int = 4) -> [Problem] {
        var out: [Problem] = []
        if areaCount == 0 { out.append(.noAreas) }
        if end <= start { out.append(.endBeforeStart) } else if !CouncilRules.themeGroupPeriodIsValid(start: start, end: end, termYears: termYears) { out.append(.periodTooLong) }
        return out
    }

    /// Each side's share of the weight, in whole percents that add up to 100.
    public static func shares(councilWeight: Int, themeGroupWeight: Int) -> (council: Int, themeGroup: Int) {
        let total = max(0, councilWeight) + max(0, themeGroupWeight)
        guard total > 0 else { return (50, 50) }
        let council = Int((Double(max(0, councilWeight)) * 100 / Double(total)).rounded())
        return (council, 100 - council)
    }

    /// Whether two advices say something different (ignoring case, spacing and punctuation).
    public static func differ(_ a: String, _ b: String) -> Bool {
        func norm(_ s: String) -> String { s.lowercased().filter { $0.isLetter || $0.isNumber } }
        return norm(a) != norm(b)
    }
}

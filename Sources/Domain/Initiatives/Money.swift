import Foundation

/// Amounts of money in euro cents (`Int`): no floating point anywhere near a budget.
public enum Money {
    /// The largest amount a form accepts: ten million euro.
    public static let maximumCents = 1_000_000_000

    public enum Problem: String, Error, Sendable { case empty, notANumber, negative, tooLarge }

    /// Reads an amount as people type it: "1.250,50", "1250,5", "€ 1.250", "1250.50", "1,250.50", "12".
    /// The last separator followed by one or two digits is the decimal comma or point; every other separator
    /// must group digits by three. Signs other than a leading minus, exponents and letters are refused.
    public static func parseCents(_ raw: String) -> Result<Int, Problem> {
        var text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        for token in ["€", "EUR", "eur", "Euro", "euro"] { text = text.replacingOccurrences(of: token, with: "") }
        text = text.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\u{00A0}", with: "")
        if text.hasSuffix(",-") || text.hasSuffix(".-") { text.removeLast(2) }
        guard !text.isEmpty else { return .failure(.empty) }
        if text.hasPrefix("-") { return text.dropFirst().contains(where: \.isNumber) ? .failure(.negative) : .failure(.notANumber) }
        guard text.count <= 20, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }), text.first!.isNumber else {
            return .failure(.notANumber)
        }
        var integerPart = text
        var fraction = ""
        if let last = text.lastIndex(where: { $0 == "." || $0 == "," }) {
            let after = text[text.index(after: last)...]
            if (1...2).contains(after.count) {
                fraction = String(after)
                integerPart = String(text[..<last])
            }
        }
        // What remains may only be grouped by three: "1.250.000", "1,250".
        let groups = integerPart.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "." || $0 == "," })
        if groups.count > 1 {
            let separators = Set(integerPart.filter { $0 == "." || $0 == "," })
            guard separators.count == 1, (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return .failure(.notANumber) }
            if let f = text.last(where: { $0 == "." || $0 == "," }), !fraction.isEmpty, separators.contains(f) { return .failure(.notANumber) }
        }
        let digits = groups.joined()
        guard !digits.isEmpty, digits.count <= 10, let euros = Int(digits) else { return .failure(digits.count > 10 ? .tooLarge : .notANumber) }
        let cents = euros * 100 + (fraction.isEmpty ? 0 : Int(fraction.count == 1 ? fraction + "0" : fraction)!)
        return cents > maximumCents ? .failure(.tooLarge) : .success(cents)
    }

    /// "€ 1.250,50" (Dutch) or "€1,250.50" (English); whole euros without decimals when `compact`.
    public static func format(_ cents: Int, dutch: Bool = true, compact: Bool = false) -> String {
        let negative = cents < 0
        let value = abs(cents)
        let euros = String(value / 100)
        var grouped = ""
        for (i, ch) in euros.enumerated() {
            if i > 0 && (euros.count - i) % 3 == 0 { grouped.append(dutch ? "." : ",") }
            grouped.append(ch)
        }
        let rest = value % 100
        let decimals = compact && rest == 0 ? (dutch ? ",-" : "") : (dutch ? "," : ".") + String(format: "%02d", rest)
        return (negative ? "-" : "") + (dutch ? "€ " : "€") + grouped + decimals
    }

    /// An amount for a form field, as it was typed back: "1250,50" / "1250.50".
    public static func plain(_ cents: Int, dutch: Bool = true) -> String {
        let rest = cents % 100
        return String(cents / 100) + (rest == 0 ? "" : (dutch ? "," : ".") + String(format: "%02d", rest))
    }
}

/// A simple budget of an initiative: lines with what they are for and an amount.
public struct BudgetLine: Hashable, Sendable, Codable {
    public var description: String
    public var cents: Int
    public init(description: String, cents: Int) {
        self.description = description
        self.cents = cents
    }
}

public enum BudgetLines {
    public enum Problem: String, Error, Sendable { case doNotAddUp, emptyLine, tooMany }
    public static let maximumLines = 20

    /// Lines must add up to the amount asked; a budget without lines is allowed for small requests.
    public static func check(_ lines: [BudgetLine], asked: Int) -> Problem? {
        if lines.count > maximumLines { return .tooMany }
        if lines.contains(where: { $0.description.isEmpty || $0.cents <= 0 }) { return .emptyLine }
        if !lines.isEmpty && lines.reduce(0, { $0 + $1.cents }) != asked { return .doNotAddUp }
        return nil
    }
}

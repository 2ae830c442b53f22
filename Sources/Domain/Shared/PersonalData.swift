import Foundation

/// Finds phone numbers and e-mail addresses in free text, so that a description that will be
/// published can be shown with those parts masked. Dutch formats are recognised with and without
/// separators: `0612345678`, `06-12345678`, `06 1234 5678`, `010-1234567`, `+31 6 12345678`,
/// `+31(0)6…`, `0031 6…`; and any address of the form `name@domain.tld`.
public enum PersonalData {
    public enum Kind: String, Sendable { case phone, email }
    public struct Finding: Equatable, Sendable {
        public var kind: Kind
        public var range: Range<String.Index>
    }

    /// Every phone number and e-mail address in `text`, in order.
    public static func findings(in text: String) -> [Finding] {
        (emails(in: text) + phones(in: text)).sorted { $0.range.lowerBound < $1.range.lowerBound }
            .reduce(into: [Finding]()) { kept, f in
                if let last = kept.last, last.range.overlaps(f.range) { return }
                kept.append(f)
            }
    }

    public static func contains(in text: String) -> Bool { !findings(in: text).isEmpty }

    /// `text` with every finding replaced by `replacement`.
    public static func masked(_ text: String, replacement: String = "[…]") -> String {
        var out = ""
        var cursor = text.startIndex
        for f in findings(in: text) {
            out += text[cursor..<f.range.lowerBound]
            out += replacement
            cursor = f.range.upperBound
        }
        out += text[cursor...]
        return out
    }

    private static func isEmailLocal(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || "._%+-".contains(c))
    }
    private static func isDomainChar(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == ".") }

    static func emails(in text: String) -> [Finding] {
        var result: [Finding] = []
        var i = text.startIndex
        while let at = text[i...].firstIndex(of: "@") {
            var start = at
            while start > text.startIndex, isEmailLocal(text[text.index(before: start)]) { start = text.index(before: start) }
            var end = text.index(after: at)
            while end < text.endIndex, isDomainChar(text[end]) { end = text.index(after: end) }
            // Trim a sentence's full stop after the domain.
            var domain = text[text.index(after: at)..<end]
            while domain.hasSuffix(".") || domain.hasSuffix("-") { domain = domain.dropLast(); end = domain.endIndex }
            let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
            if start < at, labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }),
               let tld = labels.last, tld.count >= 2, tld.allSatisfy(\.isLetter) {
                result.append(Finding(kind: .email, range: start..<end))
            }
            i = text.index(after: at)
        }
        return result
    }

    static func phones(in text: String) -> [Finding] {
        var result: [Finding] = []
        let chars = Array(text.indices)
        var k = 0
        while k < chars.count {
            let c = text[chars[k]]
            // A phone number starts with + or 0, not in the middle of a word or a longer number.
            let before: Character? = k > 0 ? text[chars[k - 1]] : nil
            guard c == "+" || c == "0", !(before?.isLetter ?? false), !(before?.isNumber ?? false) else { k += 1; continue }
            var j = k
            var digits = 0
            var lastDigit = k
            var separators = 0
            while j < chars.count {
                let d = text[chars[j]]
                if d.isASCII && d.isNumber {
                    digits += 1; lastDigit = j; separators = 0
                } else if d == "+" && j == k {
                    // the international prefix
                } else if " -.()".contains(d) {
                    separators += 1
                    if separators > 3 { break }
                } else {
                    break
                }
                j += 1
            }
            let after: Character? = lastDigit + 1 < chars.count ? text[chars[lastDigit + 1]] : nil
            if (9...13).contains(digits), !(after?.isLetter ?? false) {
                result.append(Finding(kind: .phone, range: chars[k]..<text.index(after: chars[lastDigit])))
                k = lastDigit + 1
            } else {
                k += 1
            }
        }
        return result
    }
}

import Foundation

/// Finds phone numbers, e-mail addresses, citizen service numbers and bank account numbers in free text, so
/// that a description that will be published can be shown with those parts masked. Dutch phone formats are
/// recognised with and without separators: `0612345678`, `06-12345678`, `06 1234 5678`, `010-1234567`,
/// `+31 6 12345678`, `+31(0)6…`, `0031 6…`; any address of the form `name@domain.tld`; a BSN as nine digits
/// (also `1234.56.782` or `123 456 782`) that pass the eleven test; an IBAN (`NL91 ABNA 0417 1643 00`, with or
/// without spaces) that passes its ISO 13616 check.
public enum PersonalData {
    public enum Kind: String, Sendable { case phone, email, bsn, iban }
    public struct Finding: Equatable, Sendable {
        public var kind: Kind
        public var range: Range<String.Index>
    }

    /// Every phone number and e-mail address in `text`, in order.
    public static func findings(in text: String) -> [Finding] {
        (emails(in: text) + ibans(in: text) + bsns(in: text) + phones(in: text)).sorted { $0.range.lowerBound < $1.range.lowerBound }
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

    /// The eleven test (elfproef) for a citizen service number: 9·d1 + 8·d2 + … + 2·d8 − d9 is a multiple of 11.
    public static func isBSN(_ digits: [Int]) -> Bool {
        guard digits.count == 9, digits.contains(where: { $0 != 0 }) else { return false }
        let sum = (0..<8).reduce(0) { $0 + (9 - $1) * digits[$1] } - digits[8]
        return sum % 11 == 0
    }

    /// ISO 13616: the account with its first four characters moved to the end, letters as 10…35, is 1 modulo 97.
    public static func isIBAN(_ compact: String) -> Bool {
        let chars = Array(compact.uppercased())
        guard (15...34).contains(chars.count), chars[0].isLetter, chars[1].isLetter, chars[2].isNumber, chars[3].isNumber,
              chars.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return false }
        var remainder = 0
        for c in chars[4...] + chars[..<4] {
            let value = c.isNumber ? Int(String(c))! : Int(c.asciiValue! - 55)
            remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97
        }
        return remainder == 1
    }

    /// Nine digits, alone or in groups split by one space, dot or hyphen, not part of a longer number or word.
    static func bsns(in text: String) -> [Finding] {
        var result: [Finding] = []
        let idx = Array(text.indices)
        var k = 0
        while k < idx.count {
            let c = text[idx[k]]
            let before: Character? = k > 0 ? text[idx[k - 1]] : nil
            guard c.isASCII, c.isNumber, !(before?.isLetter ?? false), !(before?.isNumber ?? false) else { k += 1; continue }
            var digits: [Int] = []
            var j = k, last = k
            while j < idx.count, digits.count < 10 {
                let d = text[idx[j]]
                if d.isASCII && d.isNumber {
                    digits.append(Int(String(d))!); last = j
                } else if " .-".contains(d), j + 1 < idx.count, text[idx[j + 1]].isASCII, text[idx[j + 1]].isNumber, j > k {
                    // one separator between groups
                } else { break }
                j += 1
            }
            let after: Character? = last + 1 < idx.count ? text[idx[last + 1]] : nil
            if isBSN(digits), !(after?.isLetter ?? false), !(after?.isNumber ?? false) {
                result.append(Finding(kind: .bsn, range: idx[k]..<text.index(after: idx[last])))
                k = last + 1
            } else {
                k += 1
            }
        }
        return result
    }

    /// The length of an IBAN per country, for the countries whose accounts residents here are likely to have.
    static let ibanLengths: [String: Int] = [
        "NL": 18, "BE": 16, "DE": 22, "LU": 20, "FR": 27, "GB": 22, "IE": 22, "ES": 24, "PT": 25, "IT": 27, "AT": 20,
        "CH": 21, "DK": 18, "SE": 24, "NO": 15, "FI": 18, "PL": 28, "CZ": 24, "HU": 28, "RO": 24, "BG": 22, "GR": 27, "TR": 26,
    ]

    /// A country code and check digits, then the account: written as one run (`NL91ABNA0417164300`) or in
    /// groups of four split by single spaces (`NL91 ABNA 0417 1643 00`), as long as that country's IBAN.
    static func ibans(in text: String) -> [Finding] {
        var result: [Finding] = []
        let idx = Array(text.indices)
        func isAlnum(_ j: Int) -> Bool { j < idx.count && text[idx[j]].isASCII && (text[idx[j]].isLetter || text[idx[j]].isNumber) }
        func run(from j: Int) -> Int { var e = j; while isAlnum(e) { e += 1 }; return e - j }
        var k = 0
        while k + 3 < idx.count {
            let before = k > 0 && isAlnum(k - 1)
            let country = String(text[idx[k]]) + String(text[idx[k + 1]])
            guard !before, let length = ibanLengths[country.uppercased()], text[idx[k + 2]].isNumber, text[idx[k + 3]].isNumber else { k += 1; continue }
            var compact = "", end = -1
            let first = run(from: k)
            if first == length {
                compact = String(text[idx[k]...idx[k + length - 1]]); end = k + length - 1
            } else if first == 4 {
                var j = k
                while true {
                    let group = run(from: j)
                    compact += String(text[idx[j]...idx[j + group - 1]])
                    if compact.count >= length || group < 4 { end = j + group - 1; break }
                    guard j + group < idx.count, text[idx[j + group]] == " ", isAlnum(j + group + 1) else { end = j + group - 1; break }
                    j += group + 1
                }
            }
            if compact.count == length, isIBAN(compact) {
                result.append(Finding(kind: .iban, range: idx[k]..<text.index(after: idx[end])))
                k = end + 1
            } else {
                k += 1
            }
        }
        return result
    }
}

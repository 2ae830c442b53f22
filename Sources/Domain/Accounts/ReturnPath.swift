import Foundation

/// Where a user may be sent back to after logging in: only a path on this site, from a fixed grammar.
///
/// Accepted: starts with exactly one `/`, holds only the characters of a URL path and query
/// (RFC 3986 unreserved, sub-delimiters, `:`, `@`, `/`, `?` and `%`-escapes), and neither the text
/// itself nor its percent-decoded forms hold a backslash, whitespace or a control character, or
/// start with `//` or `/\` (which browsers read as another host). Anything else is refused, so a
/// `terug` value can never write a header (CR/LF) or send the user to another site.
public enum ReturnPath {
    public static let maxLength = 2_000

    private static let allowed: Set<Character> = Set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/?%")

    /// The path when it is a safe same-site path; nil otherwise.
    public static func validated(_ raw: String?) -> String? {
        guard let raw, !raw.isEmpty, raw.count <= maxLength else { return nil }
        guard raw.allSatisfy({ allowed.contains($0) }) else { return nil }
        // Check the text and every decoding of it (double-encoding included).
        var current = raw
        for _ in 0..<4 {
            guard isSafeDecoded(current) else { return nil }
            guard current.contains("%") else { return raw }
            guard let decoded = current.removingPercentEncoding else { return nil }
            if decoded == current { return raw }
            current = decoded
        }
        return nil // more than three layers of encoding: not a path a page would produce
    }

    private static func isSafeDecoded(_ s: String) -> Bool {
        guard s.hasPrefix("/") else { return false }
        if s.hasPrefix("//") || s.hasPrefix("/\\") { return false }
        for scalar in s.unicodeScalars {
            if scalar == "\\" { return false }
            if scalar.properties.isWhitespace { return false }
            if scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format { return false }
        }
        return true
    }
}

import Foundation

public enum Credentials {
    public static let minPasswordLength = 12
    /// bcrypt only reads the first 72 bytes.
    public static let maxPasswordBytes = 72

    public static func validatePassword(_ password: String, field: String = "password", common: CommonPasswords = .empty) -> FieldError? {
        if password.isEmpty { return FieldError(field, "password.empty") }
        if password.count < minPasswordLength { return FieldError(field, "password.tooShort", [String(minPasswordLength)]) }
        if password.utf8.count > maxPasswordBytes { return FieldError(field, "password.tooLong", [String(maxPasswordBytes)]) }
        if let reason = PasswordStrength.weakness(of: password, common: common) { return FieldError(field, "password.\(reason.rawValue)") }
        return nil
    }

    /// A normalised e-mail address (trimmed, lower case), or an error.
    public static func normaliseEmail(_ raw: String, field: String = "email") -> Result<String, FieldError> {
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if email.isEmpty { return .failure(FieldError(field, "email.empty")) }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        if email.count > 254 { return .failure(FieldError(field, "email.tooLong", ["254"])) }
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !parts[1].contains(".."),
              email.unicodeScalars.allSatisfy(isSafeEmailScalar) else {
            return .failure(FieldError(field, "email.format"))
        }
        return .success(email)
    }

    /// The characters an address may hold before it can reach a mail header: no quotes, angle
    /// brackets, commas, semicolons, parentheses, backslashes, whitespace or control characters.
    static func isSafeEmailScalar(_ u: Unicode.Scalar) -> Bool {
        if u.properties.isWhitespace || u.properties.generalCategory == .control || u.properties.generalCategory == .format { return false }
        return !"\"<>(),;:[]\\`".unicodeScalars.contains(u)
    }

    public static func validateName(_ raw: String, field: String = "name") -> Result<String, FieldError> {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { return .failure(FieldError(field, "name.empty")) }
        if name.count > 120 { return .failure(FieldError(field, "name.tooLong", ["120"])) }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return .failure(FieldError(field, "name.invalidCharacters"))
        }
        return .success(name)
    }
}

/// Lockout after repeated failed logins, kept per e-mail address whether an account exists or not,
/// so the answer never reveals which addresses have an account.
public struct LoginThrottle: Hashable, Sendable {
    public var failures: Int
    public var windowStart: Date?
    public var lockedUntil: Date?

    public static let maxFailures = 5
    public static let window: TimeInterval = 15 * 60
    public static let lockDuration: TimeInterval = 15 * 60

    public init(failures: Int = 0, windowStart: Date? = nil, lockedUntil: Date? = nil) {
        self.failures = failures
        self.windowStart = windowStart
        self.lockedUntil = lockedUntil
    }

    public func isLocked(at now: Date) -> Bool {
        if let lockedUntil, lockedUntil > now { return true }
        return false
    }

    /// The state after one more failed attempt at `now`.
    public func recordingFailure(at now: Date) -> LoginThrottle {
        var next = self
        if let start = windowStart, now.timeIntervalSince(start) <= LoginThrottle.window, lockedUntil.map({ $0 <= now }) ?? true, failures > 0 {
            next.failures += 1
        } else {
            next.failures = 1
            next.windowStart = now
        }
        if next.failures >= LoginThrottle.maxFailures {
            next.lockedUntil = now.addingTimeInterval(LoginThrottle.lockDuration)
            next.failures = 0
            next.windowStart = nil
        }
        return next
    }

    /// The state after an attempt starts at `now`: the attempt is counted *before* the password is
    /// checked, so parallel attempts cannot all slip through before the lock. `nil` means the
    /// address is locked and the password must not be checked at all.
    public func reservingAttempt(at now: Date) -> LoginThrottle? {
        isLocked(at: now) ? nil : recordingFailure(at: now)
    }

    /// Minutes left of a lock, rounded up.
    public func minutesLocked(at now: Date) -> Int {
        guard let lockedUntil, lockedUntil > now else { return 0 }
        return Int((lockedUntil.timeIntervalSince(now) / 60).rounded(.up))
    }
}

/// Passwords that are refused although they are long enough: common ones (a bundled list, also
/// with digits or punctuation added before or after) and trivial ones.
public struct CommonPasswords: Sendable {
    let words: Set<String>
    public init<S: Sequence>(_ words: S) where S.Element == String {
        self.words = Set(words.map { $0.lowercased() }.filter { !$0.isEmpty })
    }
    public static let empty = CommonPasswords([String]())
    public var count: Int { words.count }
    public func contains(_ password: String) -> Bool { words.contains(password.lowercased()) }
}

public enum PasswordStrength {
    public enum Weakness: String, Sendable { case common, repeated, sequence, digitsOnly }

    static let rows = ["qwertyuiopasdfghjklzxcvbnm", "azertyuiopqsdfghjklmwxcvbn", "abcdefghijklmnopqrstuvwxyz", "01234567890"]

    /// Why a password is too easy to guess, or nil.
    public static func weakness(of password: String, common: CommonPasswords) -> Weakness? {
        let lower = password.lowercased()
        let chars = Array(lower)
        if chars.allSatisfy({ $0.isASCII && $0.isNumber }) { return .digitsOnly }
        // The same short piece over and over: "aaaaaaaaaaaa", "abcabcabcabc", "12121212…".
        for period in 1...4 where chars.count >= period * 3 {
            if chars.indices.allSatisfy({ chars[$0] == chars[$0 % period] }) { return .repeated }
        }
        // A run along the keyboard or the alphabet (either way round), allowing digits after it.
        let core = String(lower.drop(while: { $0.isNumber || $0.isPunctuation || $0.isSymbol })
                              .reversed().drop(while: { $0.isNumber || $0.isPunctuation || $0.isSymbol }).reversed())
        if core.count >= 6 {
            for row in rows where row.contains(core) || String(row.reversed()).contains(core) { return .sequence }
        }
        if common.contains(lower) { return .common }
        if core.count >= 4, core != lower, common.contains(core) { return .common }
        return nil
    }
}

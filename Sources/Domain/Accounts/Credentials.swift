import Foundation

public enum Credentials {
    public static let minPasswordLength = 12
    /// bcrypt only reads the first 72 bytes.
    public static let maxPasswordBytes = 72

    public static func validatePassword(_ password: String, field: String = "password") -> FieldError? {
        if password.isEmpty { return FieldError(field, "password.empty") }
        if password.count < minPasswordLength { return FieldError(field, "password.tooShort", [String(minPasswordLength)]) }
        if password.utf8.count > maxPasswordBytes { return FieldError(field, "password.tooLong", [String(maxPasswordBytes)]) }
        return nil
    }

    /// A normalised e-mail address (trimmed, lower case), or an error.
    public static func normaliseEmail(_ raw: String, field: String = "email") -> Result<String, FieldError> {
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if email.isEmpty { return .failure(FieldError(field, "email.empty")) }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        if email.count > 254 { return .failure(FieldError(field, "email.tooLong", ["254"])) }
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !email.contains(where: { $0.isWhitespace || $0 == "\0" }) else {
            return .failure(FieldError(field, "email.format"))
        }
        return .success(email)
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

    /// Minutes left of a lock, rounded up.
    public func minutesLocked(at now: Date) -> Int {
        guard let lockedUntil, lockedUntil > now else { return 0 }
        return Int((lockedUntil.timeIntervalSince(now) / 60).rounded(.up))
    }
}

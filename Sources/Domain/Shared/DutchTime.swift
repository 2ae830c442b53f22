import Foundation

/// Dates in the Netherlands: the Amsterdam time zone and the Gregorian calendar, in one place.
public enum DutchTime {
    public static let timeZone = TimeZone(identifier: "Europe/Amsterdam")!

    public static var calendar: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        return c
    }

    /// A formatter for a fixed pattern in Dutch time (`en_US_POSIX` unless a locale is given).
    public static func formatter(_ pattern: String, locale: String = "en_US_POSIX") -> DateFormatter {
        let f = DateFormatter()
        f.locale = Locale(identifier: locale)
        f.timeZone = timeZone
        f.dateFormat = pattern
        return f
    }
}

import Foundation

/// Dates in the Netherlands: the Amsterdam time zone and the Gregorian calendar, in one place.
public enum DutchTime {
    public static let timeZone = TimeZone(identifier: "Europe/Amsterdam")!

    public static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        return c
    }()

    /// A formatter for a fixed pattern in Dutch time (`en_US_POSIX` unless a locale is given).
    public static func formatter(_ pattern: String, locale: String = "en_US_POSIX") -> DateFormatter {
        let f = DateFormatter()
        f.locale = Locale(identifier: locale)
        f.timeZone = timeZone
        f.dateFormat = pattern
        return f
    }

    /// Formats with a formatter made once per pattern and locale (building a DateFormatter costs far more than
    /// using one); formatting is serialised per formatter, as Foundation does not promise thread safety.
    public static func string(from date: Date, pattern: String, locale: String = "en_US_POSIX") -> String {
        FormatterCache.shared.with(pattern: pattern, locale: locale) { $0.string(from: date) }
    }

    /// Parses with a cached formatter (see `string(from:pattern:locale:)`).
    public static func date(from text: String, pattern: String, locale: String = "en_US_POSIX") -> Date? {
        FormatterCache.shared.with(pattern: pattern, locale: locale) { $0.date(from: text) }
    }
}

final class FormatterCache: @unchecked Sendable {
    static let shared = FormatterCache()
    private let lock = NSLock()
    private var formatters: [String: (DateFormatter, NSLock)] = [:]

    func with<T>(pattern: String, locale: String, _ body: (DateFormatter) -> T) -> T {
        let key = locale + "|" + pattern
        lock.lock()
        let entry: (DateFormatter, NSLock)
        if let existing = formatters[key] {
            entry = existing
        } else {
            entry = (DutchTime.formatter(pattern, locale: locale), NSLock())
            formatters[key] = entry
        }
        lock.unlock()
        entry.1.lock()
        defer { entry.1.unlock() }
        return body(entry.0)
    }
}

import Foundation

/// Writes iCalendar (RFC 5545) feeds: CRLF line endings, text escaping, and lines folded at 75 octets.
public enum ICalendar {
    public struct Event: Hashable, Sendable {
        public var uid: String
        public var start: Date
        public var end: Date
        public var summary: String
        public var location: String?
        public var description: String?
        public var url: String?
        public var cancelled: Bool

        public init(uid: String, start: Date, end: Date, summary: String, location: String? = nil, description: String? = nil, url: String? = nil, cancelled: Bool = false) {
            self.uid = uid
            self.start = start
            self.end = end
            self.summary = summary
            self.location = location
            self.description = description
            self.url = url
            self.cancelled = cancelled
        }
    }

    /// TEXT values: backslash, semicolon, comma and newlines escaped (RFC 5545 §3.3.11).
    public static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n": out += "\\n"
            case "\r": break
            default: out.append(ch)
            }
        }
        return out
    }

    /// Folds a content line so no line is longer than 75 octets, never splitting a UTF-8 character (§3.1).
    public static func fold(_ line: String) -> String {
        var lines: [String] = []
        var current = ""
        var octets = 0
        for ch in line {
            let size = String(ch).utf8.count
            let limit = lines.isEmpty ? 75 : 74 // continuation lines start with a space
            if octets + size > limit {
                lines.append(current)
                current = ""
                octets = 0
            }
            current.append(ch)
            octets += size
        }
        lines.append(current)
        return lines.enumerated().map { $0.offset == 0 ? $0.element : " " + $0.element }.joined(separator: "\r\n")
    }

    /// A moment in UTC as 20261123T183000Z (computed directly: a feed has thousands of these).
    static func utc(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    public static func calendar(name: String, events: [Event], stamp: Date) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Wijkwerk//Vergaderingen//NL", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
                     "X-WR-CALNAME:" + escape(name)]
        for e in events {
            lines += ["BEGIN:VEVENT", "UID:" + e.uid, "DTSTAMP:" + utc(stamp), "DTSTART:" + utc(e.start), "DTEND:" + utc(e.end),
                      "SUMMARY:" + escape(e.summary)]
            if let location = e.location { lines.append("LOCATION:" + escape(location)) }
            if let description = e.description { lines.append("DESCRIPTION:" + escape(description)) }
            if let url = e.url { lines.append("URL:" + url) }
            lines.append("STATUS:" + (e.cancelled ? "CANCELLED" : "CONFIRMED"))
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }
}

import Foundation

/// A day in the Netherlands, without a time.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public init(_ year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public init(_ date: Date) {
        let c = DutchTime.calendar.dateComponents([.year, .month, .day], from: date)
        self.init(c.year!, c.month!, c.day!)
    }

    public static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

    /// Midnight at the start of this day, Dutch time.
    public var start: Date { DutchTime.calendar.date(from: DateComponents(year: year, month: month, day: day))! }
    /// The last second of this day, Dutch time.
    public var end: Date { adding(1).start.addingTimeInterval(-1) }

    public func adding(_ days: Int) -> Day {
        Day(DutchTime.calendar.date(byAdding: .day, value: days, to: DutchTime.calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 12))!)!)
    }

    /// 1 = Sunday … 7 = Saturday (as `Calendar` counts).
    public var weekday: Int {
        DutchTime.calendar.component(.weekday, from: DutchTime.calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 12))!)
    }
    public var isWeekend: Bool { weekday == 1 || weekday == 7 }
}

/// The Dutch public holidays that working-day deadlines skip.
public struct DutchHolidays: Sendable, Equatable {
    /// Bevrijdingsdag (5 May) is a day off every year for some employers, only every fifth year (2025, 2030…) for others.
    public enum LiberationDay: String, Sendable, CaseIterable { case everyYear, everyFifthYear }

    public var goodFriday: Bool
    public var liberationDay: LiberationDay

    public init(goodFriday: Bool = false, liberationDay: LiberationDay = .everyFifthYear) {
        self.goodFriday = goodFriday
        self.liberationDay = liberationDay
    }

    /// Easter Sunday (Gregorian; the anonymous algorithm of Meeus/Jones/Butcher).
    public static func easter(_ year: Int) -> Day {
        let a = year % 19, b = year / 100, c = year % 100
        let d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let day = (h + l - 7 * m + 114) % 31 + 1
        return Day(year, month, day)
    }

    /// The holidays of a year, by name.
    public func holidays(in year: Int) -> [(name: String, day: Day)] {
        let easter = Self.easter(year)
        var out: [(String, Day)] = [("nieuwjaarsdag", Day(year, 1, 1))]
        if goodFriday { out.append(("goedeVrijdag", easter.adding(-2))) }
        out.append(("eerstePaasdag", easter))
        out.append(("tweedePaasdag", easter.adding(1)))
        let kingsDay = Day(year, 4, 27)
        out.append(("koningsdag", kingsDay.weekday == 1 ? Day(year, 4, 26) : kingsDay))
        if liberationDay == .everyYear || year % 5 == 0 { out.append(("bevrijdingsdag", Day(year, 5, 5))) }
        out.append(("hemelvaartsdag", easter.adding(39)))
        out.append(("eerstePinksterdag", easter.adding(49)))
        out.append(("tweedePinksterdag", easter.adding(50)))
        out.append(("eersteKerstdag", Day(year, 12, 25)))
        out.append(("tweedeKerstdag", Day(year, 12, 26)))
        return out
    }

    public func isHoliday(_ day: Day) -> Bool { holidays(in: day.year).contains { $0.day == day } }
    public func isWorkingDay(_ day: Day) -> Bool { !day.isWeekend && !isHoliday(day) }

    /// The working day `count` working days after `day` (count 0: the day itself if it is a working day, else the next one).
    public func addingWorkingDays(_ count: Int, to day: Day) -> Day {
        var current = day
        if count == 0 {
            while !isWorkingDay(current) { current = current.adding(1) }
            return current
        }
        var left = count
        while left > 0 {
            current = current.adding(1)
            if isWorkingDay(current) { left -= 1 }
        }
        return current
    }
}

/// How long a category gives the municipality to handle a signal.
public struct HandlingTerm: Sendable, Equatable, Codable {
    public enum Unit: String, Sendable, Codable, CaseIterable { case calendarDays, workingDays }
    public var days: Int
    public var unit: Unit
    public init(days: Int, unit: Unit) {
        self.days = days
        self.unit = unit
    }

    /// The deadline for a signal reported at `reported`: the end of the last day of the term, Dutch time.
    public func deadline(reportedAt reported: Date, holidays: DutchHolidays) -> Date {
        let day = Day(reported)
        switch unit {
        case .calendarDays: return day.adding(days).end
        case .workingDays: return holidays.addingWorkingDays(days, to: day).end
        }
    }
}

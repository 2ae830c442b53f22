import Testing
import Foundation
@testable import Domain

@Suite("Working days and Dutch holidays")
struct WorkingDaysTests {
    @Test(arguments: [
        (2024, Day(2024, 3, 31)), (2025, Day(2025, 4, 20)), (2026, Day(2026, 4, 5)), (2027, Day(2027, 3, 28)),
        (2028, Day(2028, 4, 16)), (2029, Day(2029, 4, 1)), (2030, Day(2030, 4, 21)), (2038, Day(2038, 4, 25)), (2285, Day(2285, 3, 22)),
    ])
    func easter(year: Int, expected: Day) {
        #expect(DutchHolidays.easter(year) == expected)
    }

    @Test func holidaysOf2026() {
        let days = Dictionary(uniqueKeysWithValues: DutchHolidays(goodFriday: true).holidays(in: 2026).map { ($0.name, $0.day) })
        #expect(days["nieuwjaarsdag"] == Day(2026, 1, 1))
        #expect(days["goedeVrijdag"] == Day(2026, 4, 3))
        #expect(days["tweedePaasdag"] == Day(2026, 4, 6))
        #expect(days["koningsdag"] == Day(2026, 4, 27))
        #expect(days["hemelvaartsdag"] == Day(2026, 5, 14))
        #expect(days["tweedePinksterdag"] == Day(2026, 5, 25))
        #expect(days["eersteKerstdag"] == Day(2026, 12, 25))
        #expect(days["tweedeKerstdag"] == Day(2026, 12, 26))
        #expect(days["bevrijdingsdag"] == nil, "2026 is not a lustrum year")
    }

    @Test func kingsDayMovesToSaturdayWhenThe27thIsASunday() {
        // 27 April is a Sunday in 2025 and 2031.
        for year in [2025, 2031] {
            #expect(Day(year, 4, 27).weekday == 1)
            let kingsDay = DutchHolidays().holidays(in: year).first { $0.name == "koningsdag" }?.day
            #expect(kingsDay == Day(year, 4, 26))
        }
        #expect(DutchHolidays().holidays(in: 2027).first { $0.name == "koningsdag" }?.day == Day(2027, 4, 27))
    }

    @Test func liberationDayEveryYearOrEveryFifthYear() {
        let lustrum = DutchHolidays(liberationDay: .everyFifthYear)
        let yearly = DutchHolidays(liberationDay: .everyYear)
        #expect(lustrum.isHoliday(Day(2025, 5, 5)))
        #expect(lustrum.isHoliday(Day(2030, 5, 5)))
        #expect(!lustrum.isHoliday(Day(2026, 5, 5)))
        #expect(yearly.isHoliday(Day(2026, 5, 5)))
    }

    @Test func goodFridayIsOptional() {
        #expect(!DutchHolidays(goodFriday: false).isHoliday(Day(2026, 4, 3)))
        #expect(DutchHolidays(goodFriday: true).isHoliday(Day(2026, 4, 3)))
    }

    @Test(arguments: [
        // Thursday before Easter 2026 + 1 working day: Good Friday counts (not a holiday by default), then Easter Monday is skipped.
        (Day(2026, 4, 2), 1, Day(2026, 4, 3)),
        (Day(2026, 4, 2), 2, Day(2026, 4, 7)),
        // Friday + 1 → Monday.
        (Day(2026, 11, 20), 1, Day(2026, 11, 23)),
        // Christmas 2026: Thursday 24 + 1 → Monday 28 (25 and 26 are holidays, 26/27 weekend).
        (Day(2026, 12, 24), 1, Day(2026, 12, 28)),
        // Ascension 2027 is 6 May: Wednesday 5 + 1 → Friday 7.
        (Day(2027, 5, 5), 1, Day(2027, 5, 7)),
        // Whit Monday 2027 is 17 May: Friday 14 + 1 → Tuesday 18.
        (Day(2027, 5, 14), 1, Day(2027, 5, 18)),
        // Koningsdag 2025 on Saturday 26 April (27th is a Sunday) is a weekend anyway: Friday 25 + 1 → Monday 28.
        (Day(2025, 4, 25), 1, Day(2025, 4, 28)),
        // Over New Year: Wednesday 31 December 2025 + 1 → Friday 2 January 2026.
        (Day(2025, 12, 31), 1, Day(2026, 1, 2)),
        // Zero days from a Saturday: the next working day.
        (Day(2026, 11, 21), 0, Day(2026, 11, 23)),
        // Ten working days across Easter and Koningsdag 2026.
        (Day(2026, 4, 20), 10, Day(2026, 5, 5)),
    ])
    func addingWorkingDays(start: Day, count: Int, expected: Day) {
        #expect(DutchHolidays().addingWorkingDays(count, to: start) == expected)
    }

    @Test func deadlinesEndAtTheEndOfTheDayInDutchTime() {
        var c = DutchTime.calendar
        c.timeZone = DutchTime.timeZone
        let reported = c.date(from: DateComponents(year: 2026, month: 12, day: 23, hour: 16, minute: 5))!
        let working = HandlingTerm(days: 3, unit: .workingDays).deadline(reportedAt: reported, holidays: DutchHolidays())
        // 24 → 1, (25, 26, 27 skipped), 28 → 2, 29 → 3.
        #expect(Day(working) == Day(2026, 12, 29))
        #expect(c.component(.hour, from: working) == 23)
        #expect(c.component(.minute, from: working) == 59)
        let calendarDays = HandlingTerm(days: 3, unit: .calendarDays).deadline(reportedAt: reported, holidays: DutchHolidays())
        #expect(Day(calendarDays) == Day(2026, 12, 26))
    }

    @Test func daysAcrossTheSummerTimeChange() {
        // 29 March 2026 the clocks go forward; a calendar-day deadline still ends at 23:59:59 local time.
        let reported = DutchTime.calendar.date(from: DateComponents(year: 2026, month: 3, day: 28, hour: 10))!
        let deadline = HandlingTerm(days: 1, unit: .calendarDays).deadline(reportedAt: reported, holidays: DutchHolidays())
        let parts = DutchTime.calendar.dateComponents([.day, .hour, .minute, .second], from: deadline)
        #expect(parts.day == 29 && parts.hour == 23 && parts.minute == 59 && parts.second == 59)
    }
}

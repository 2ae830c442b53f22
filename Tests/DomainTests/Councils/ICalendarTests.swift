import Testing
import Foundation
@testable import Domain

@Suite("iCalendar")
struct ICalendarTests {
    @Test func escapesText() {
        #expect(ICalendar.escape("Wijkraad Oss-Zuid; agenda, stukken\nen notulen \\ meer") == "Wijkraad Oss-Zuid\\; agenda\\, stukken\\nen notulen \\\\ meer")
    }

    @Test func foldsLongLinesAt75OctetsWithoutSplittingCharacters() {
        let line = "DESCRIPTION:" + String(repeating: "é", count: 100)
        let folded = ICalendar.fold(line)
        for part in folded.components(separatedBy: "\r\n") {
            #expect(part.utf8.count <= 75)
        }
        let unfolded = folded.replacingOccurrences(of: "\r\n ", with: "")
        #expect(unfolded == line)
    }

    @Test func writesAValidCalendar() {
        let start = Date(timeIntervalSince1970: 1_795_000_000)
        let text = ICalendar.calendar(name: "Vergaderingen, Oss", events: [
            .init(uid: "abc@wijkwerk", start: start, end: start.addingTimeInterval(7200), summary: "Wijkraad Ruwaard", location: "Wijkcentrum; zaal 1", url: "https://example.org/x"),
            .init(uid: "def@wijkwerk", start: start, end: start.addingTimeInterval(3600), summary: "Dorpsraad Lith", cancelled: true),
        ], stamp: start)
        #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        #expect(text.hasSuffix("END:VCALENDAR\r\n"))
        #expect(text.components(separatedBy: "BEGIN:VEVENT").count == 3)
        #expect(text.contains("LOCATION:Wijkcentrum\\; zaal 1\r\n"))
        #expect(text.contains("STATUS:CANCELLED"))
        #expect(text.contains("X-WR-CALNAME:Vergaderingen\\, Oss"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "only CRLF line endings")
        #expect(text.contains("DTSTART:" + ICalendar.utc(start)))
    }
}

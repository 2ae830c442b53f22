import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import Domain

@Suite("Councils: demo, public meeting calendar and iCalendar feeds")
struct CouncilCalendarTests {
    static let now = Date(timeIntervalSince1970: 1_795_435_200) // 23 November 2026

    @Test func demoCouncilsForEveryOssAreaWithAYearOfMeetings() async throws {
        try await withApp(now: Self.now) { app in
            let councils = try await Council.query(on: app.db).all()
            #expect(councils.count == 11)
            #expect(councils.allSatisfy { $0.demo })
            #expect(councils.contains { $0.name == "Dorpsraad Berghem" })
            #expect(councils.contains { $0.name == "Wijkraad Ruwaard" })
            #expect(try await CouncilMeeting.query(on: app.db).count() >= 11 * 4)
        }
    }

    @Test func calendarPageListsPublicMeetingsAndAnnouncesTheFeed() async throws {
        try await withApp(now: Self.now) { app in
            let html = try await TestBrowser(app).get("/gemeenten/oss/vergaderingen").text
            #expect(html.contains("<link rel=\"alternate\" type=\"text/calendar\" href=\"/gemeenten/oss/vergaderingen.ics\">"))
            #expect(html.contains("Komende vergaderingen"))
            #expect(html.contains("Wijkraad Ruwaard"))
            #expect(html.contains("<time datetime=\""))
            #expect(html.contains("verzonnen"), "demo data is marked")
        }
    }

    @Test func feedsAreValidICalendar() async throws {
        try await withApp(now: Self.now) { app in
            let response = try await TestBrowser(app).get("/gemeenten/oss/vergaderingen.ics")
            #expect(response.status == .ok)
            #expect(response.headers.contentType?.subType == "calendar")
            let text = response.text
            #expect(text.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
            #expect(text.hasSuffix("END:VCALENDAR\r\n"))
            let lines = text.components(separatedBy: "\r\n").dropLast()
            #expect(lines.allSatisfy { $0.utf8.count <= 75 })
            let events = text.components(separatedBy: "BEGIN:VEVENT").count - 1
            let publicMeetings = try await CouncilMeeting.query(on: app.db).filter(\.$isPublic == true).count()
            #expect(events == publicMeetings, "closed meetings are not in the public feed")
            // Every event has the required properties once.
            for block in text.components(separatedBy: "BEGIN:VEVENT").dropFirst() {
                for property in ["UID:", "DTSTAMP:", "DTSTART:", "DTEND:", "SUMMARY:"] { #expect(block.components(separatedBy: "\r\n" + property).count == 2 || block.hasPrefix("\r\n" + property)) }
            }
            let area = try await TestBrowser(app).get("/gemeenten/oss/gebieden/ruwaard/vergaderingen.ics").text
            #expect(area.contains("Wijkraad Ruwaard"))
            #expect(!area.contains("Dorpsraad Lith"))
            #expect(try await TestBrowser(app).get("/gemeenten/oss/gebieden/nergens/vergaderingen.ics").status == .notFound)
        }
    }

    @Test func areaPageShowsTheCouncilAndTheSixMeetingsRule() async throws {
        try await withApp(now: Self.now) { app in
            let html = try await TestBrowser(app).get("/gemeenten/oss/gebieden/ruwaard").text
            #expect(html.contains("<h2>Wijkraad Ruwaard</h2>"))
            #expect(html.contains("openbare vergaderingen"))
            #expect(html.contains("href=\"/gemeenten/oss/gebieden/ruwaard/vergaderingen.ics\""))
            // The demo gives some councils only four meetings: the page says they fall short.
            let councils = try await Council.query(on: app.db).with(\.$area).all()
            var shortfalls = 0
            for council in councils {
                let page = try await TestBrowser(app).get("/gemeenten/oss/gebieden/\(council.area.slug)").text
                if page.contains("Let op:") && page.contains("minder dan het minimum van 6") { shortfalls += 1 }
            }
            #expect(shortfalls > 0 && shortfalls < councils.count)
        }
    }
}

@Suite("Councils: the public advice register")
struct AdviceRegisterTests {
    @Test func registerShowsEveryStateAndFlagsLateAnswers() async throws {
        try await withApp(now: CouncilCalendarTests.now) { app in
            let html = try await TestBrowser(app).get("/gemeenten/oss/adviezen").text
            #expect(html.contains("<h1>Adviezen van de wijk- en dorpsraden in Oss</h1>"))
            for status in ["Beantwoord", "Antwoord te laat", "Gegeven, wacht op antwoord", "In voorbereiding"] { #expect(html.contains(status), "\(status)") }
            #expect(html.contains("is het antwoord van het college te laat"))
            #expect(html.contains("Gevraagd advies") && html.contains("Ongevraagd advies"))
            let overdue = try await CouncilAdvice.query(on: app.db).all().filter { CouncilRules.status(of: $0.rule, now: CouncilCalendarTests.now) == .answerOverdue }
            #expect(!overdue.isEmpty)
            #expect(html.contains("Let op: op \(overdue.count) adviezen"))
            let english = try await TestBrowser(app).get("/gemeenten/oss/adviezen?lang=en").text
            #expect(english.contains("Answer overdue"))
        }
    }
}

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

@Suite("Councils: recording advice and the college's answer")
struct AdviceFlowTests {
    @Test func councilGivesAdviceAndTheAldermanAnswers() async throws {
        let now = CouncilCalendarTests.now
        try await withApp(now: now) { app in
            let ruwaard = try await Fixture.area(app, "ruwaard")
            let council = try #require(try await Council.query(on: app.db).filter(\.$area.$id == ruwaard.requireID()).first())
            let advice = CouncilAdvice()
            advice.$council.id = try council.requireID()
            advice.kind = .requested
            advice.subject = "Speeltuin aan de Vondellaan"
            advice.question = "Waar moet de speeltuin komen?"
            advice.askedOn = now.addingTimeInterval(-30 * 24 * 3600)
            try await advice.create(on: app.db)
            let path = "/gemeenten/oss/adviezen/\(try advice.requireID())"

            #expect(try await TestBrowser(app).post(path, form: [("stap", "advies")]).status == .seeOther, "anonymous: to the login page")
            try await Fixture.user(app, email: "lid-schadewijk@oss.test", role: .councilMember, areas: ["schadewijk"])
            let other = TestBrowser(app)
            _ = try await other.login("lid-schadewijk@oss.test", Fixture.password)
            #expect(!(try await other.get(path).text.contains("name=\"tekst\"")), "no form for another council's member")
            #expect(try await other.post(path, form: [("stap", "advies"), ("tekst", "x")]).status == .forbidden)

            try await Fixture.user(app, email: "lid-ruwaard@oss.test", role: .councilMember, areas: ["ruwaard"])
            let member = TestBrowser(app)
            _ = try await member.login("lid-ruwaard@oss.test", Fixture.password)
            let future = try await member.submit(path, [("stap", "advies"), ("tekst", "Bij de school."), ("datum", "2027-01-01")])
            #expect(future.status == .unprocessableEntity)
            #expect(future.text.contains("Deze datum ligt in de toekomst."))
            #expect(future.text.contains("Bij de school."), "the text typed is kept")
            #expect(try await member.submit(path, [("stap", "advies"), ("tekst", "Bij de school."), ("datum", "2026-11-01")]).status == .seeOther)
            #expect(try await member.post(path, form: [("stap", "antwoord"), ("tekst", "x")]).status == .forbidden, "members do not answer")

            try await Fixture.user(app, email: "wethouder@oss.test", role: .areaAlderman, areas: ["ruwaard"])
            let alderman = TestBrowser(app)
            _ = try await alderman.login("wethouder@oss.test", Fixture.password)
            let early = try await alderman.submit(path, [("stap", "antwoord"), ("tekst", "Akkoord."), ("datum", "2026-10-01")])
            #expect(early.status == .unprocessableEntity)
            #expect(early.text.contains("Het antwoord kan niet eerder zijn dan het advies."))
            #expect(try await alderman.submit(path, [("stap", "antwoord"), ("tekst", "Akkoord."), ("datum", "2026-11-20")]).status == .seeOther)
            let stored = try #require(try await CouncilAdvice.find(advice.id, on: app.db))
            #expect(CouncilRules.status(of: stored.rule, now: now) == .answered)
            #expect(try await TestBrowser(app).get("/gemeenten/oss/adviezen").text.contains("Akkoord."))
            #expect(try await AuditEntry.query(on: app.db).filter(\.$entityType == "advice").count() == 2)
        }
    }
}

import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import Domain

@Suite("Area profile: at a date, own figures per year, the village's own view, reach by age")
struct ProfileStoriesTests {
    static let now = Date(timeIntervalSince1970: 1_795_435_200) // 23 November 2026
    static let page = "/gemeenten/oss/gebieden/ruwaard/profiel"

    @Test func theProfileAtADateShowsOnlyWhatWasKnownThenAndRefusesAFutureDate() async throws {
        try await withApp(now: Self.now) { app in
            let today = try await TestBrowser(app).get(Self.page).text
            #expect(today.contains("<th scope=\"row\">2024</th>"))
            #expect(today.contains("Lijkt op, in andere gemeenten") && today.contains("(Oosterhout)"), "like with like across municipalities")
            let then = try await TestBrowser(app).get(Self.page + "?datum=2023-06-30")
            #expect(then.status == .ok && then.text.contains("Gebiedsprofiel Ruwaard op 30 juni 2023"))
            #expect(then.text.contains("<th scope=\"row\">2022</th>") && !then.text.contains("<th scope=\"row\">2024</th>"), "no figure from after the date")
            #expect(then.text.contains("Periode: 1 juli 2022 tot en met 30 juni 2023"))
            let future = try await TestBrowser(app).get(Self.page + "?datum=2031-01-01")
            #expect(future.status == .badRequest && future.text.contains("in de toekomst") && future.text.contains("value=\"2031-01-01\""))
            let nonsense = try await TestBrowser(app).get(Self.page + "?datum=gisteren")
            #expect(nonsense.status == .badRequest && nonsense.text.contains("<th scope=\"row\">2024</th>"), "today is shown with the message")
            let english = TestBrowser(app)
            english.language = "en"
            #expect(try await english.get(Self.page + "?datum=2031-01-01").text.contains("in the future"))
        }
    }

    @Test func ownFiguresPerCompleteYearFromWhatHappenedThatYear() async throws {
        try await withApp(now: Self.now) { app in
            let m = try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first()!
            let area = try await Area.query(on: app.db).filter(\.$slug == "ruwaard").first()!
            let category = try await SignalCategory.query(on: app.db).filter(\.$municipality.$id == m.requireID()).filter(\.$parentID != nil).first()!
            // Twelve signals in 2023, eight handled within three days of their five-day deadline.
            for i in 0..<12 {
                let reported = DutchTime.calendar.date(from: DateComponents(year: 2023, month: 3, day: 1 + i))!
                let s = Signal()
                s.$municipality.id = try m.requireID(); s.trackingCode = "TST-\(i)"; s.$category.id = try category.requireID(); s.areaID = try area.requireID()
                s.text = "Test"; s.answersJSON = "{}"; s.state = i < 8 ? .afgehandeld : .gemeld; s.deadline = reported.addingTimeInterval(5 * 86_400)
                s.reportedAt = reported; s.closedAt = i < 8 ? reported.addingTimeInterval(3 * 86_400) : nil; s.stateChangedAt = s.closedAt ?? reported
                s.source = "web"; s.escalationLevel = 0; s.version = 1; s.demo = false; s.hasPhoto = false; s.language = "nl"
                try await s.create(on: app.db)
            }
            let html = try await TestBrowser(app).get(Self.page).text
            let table = html.components(separatedBy: "id=\"eigen-jaar-titel\"")[1].components(separatedBy: "</table>")[0]
            #expect(table.contains("<th scope=\"col\">2023</th>") && table.contains("<th scope=\"col\">2025</th>") && !table.contains("<th scope=\"col\">2026</th>"),
                    "complete years only: 2026 is still running")
            let trend = try await AreaProfileService.ownTrend(try await app.areaDirectory.snapshot(for: m, on: app.db), at: Self.now, on: app.db, cache: app.profileCache)
            let y2023 = trend.perArea[try area.requireID()]?[2023] ?? [:]
            #expect(y2023["signalsPer1000"] != nil, "twelve signals: shown")
            #expect(y2023["signalMedianDays"] == nil, "eight handled: fewer than ten, suppressed")
        }
    }

    @Test func aResidentsStoryWaitsForTheCoordinatorAndTheCouncilsIsPublicAtOnce() async throws {
        try await withApp(now: Self.now) { app in
            let resident = TestBrowser(app)
            let form = try await resident.get(Self.page + "/verhaal")
            #expect(form.status == .ok && form.text.contains("multipart/form-data") && form.text.contains("Uw leeftijd"))
            let csrf = TestBrowser.csrf(in: form.text)
            // Nothing said: refused, and the name typed is kept.
            let (h1, b1) = Multipart.body([("csrf", csrf), ("naam", "Buurtvereniging De Kamp")], file: nil)
            let empty = try await app.testing().sendRequest(.POST, Self.page + "/verhaal", headers: h1.merging(resident), body: b1)
            #expect(empty.status == .unprocessableEntity && empty.body.string.contains("Vul in wat goed gaat") && empty.body.string.contains("Buurtvereniging De Kamp"))
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + InitiativeTests.pngChunks
            let (h2, b2) = Multipart.body([("csrf", csrf), ("goed", "Buren helpen elkaar, bel mij op 06-12345678"), ("beter", "Weinig voor jongeren"),
                                           ("naam", "Buurtvereniging De Kamp"), ("leeftijd", "45-64")],
                                          file: .init(field: "foto1", filename: "plein.png", contentType: "image/png", data: png))
            let posted = try await app.testing().sendRequest(.POST, Self.page + "/verhaal", headers: h2.merging(resident), body: b2)
            #expect(posted.status == .seeOther)
            let story = try await AreaStory.query(on: app.db).filter(\.$signedAs == "Buurtvereniging De Kamp").first()!
            #expect(story.status == .waiting && story.authorKind == .resident)
            let photo = Self.page + "/verhalen/\(story.id!.uuidString)/1"
            #expect(!(try await TestBrowser(app).get(Self.page).text.contains("Weinig voor jongeren")), "not public before it is read")
            #expect(try await TestBrowser(app).get(photo).status == .notFound)
            #expect(try await ReachAgeCount.query(on: app.db).filter(\.$channel == "stories").first()?.count == 1, "the age answer is counted apart")
            // Another area's coordinator may not publish it.
            try await Fixture.user(app, email: "lith@oss.test", role: .areaCoordinator, areas: ["lith"])
            let other = TestBrowser(app)
            _ = try await other.login("lith@oss.test", Fixture.password)
            let token = TestBrowser.csrf(in: try await other.get(Self.page).text)
            #expect(try await other.post(Self.page + "/verhalen/\(story.id!.uuidString)", form: [("csrf", token), ("besluit", "publiceren")]).status == .forbidden)
            try await Fixture.user(app, email: "ruwaard@oss.test", role: .areaCoordinator, areas: ["ruwaard"])
            let coordinator = TestBrowser(app)
            _ = try await coordinator.login("ruwaard@oss.test", Fixture.password)
            let staffView = try await coordinator.get(Self.page).text
            #expect(staffView.contains("Wacht op lezen") && staffView.contains("Weinig voor jongeren"))
            #expect(try await coordinator.get(photo).status == .ok, "the coordinator sees the photo before publishing")
            #expect(try await coordinator.submit(Self.page, to: Self.page + "/verhalen/\(story.id!.uuidString)", [("besluit", "publiceren")]).status == .seeOther)
            let published = try await TestBrowser(app).get(Self.page).text
            #expect(published.contains("Weinig voor jongeren") && published.contains("Buurtvereniging De Kamp") && !published.contains("12345678"))
            let image = try await TestBrowser(app).get(photo)
            #expect(image.status == .ok && image.headers.contentType?.subType == "png")
            // A second click finds nothing waiting.
            let again = try await coordinator.submit(Self.page, to: Self.page + "/verhalen/\(story.id!.uuidString)", [("besluit", "afwijzen")])
            let after = try await AreaStory.find(story.id, on: app.db)
            #expect(again.status == .seeOther && after?.status == .published)
            // A council member's story is public at once; a rejected one is removed.
            try await Fixture.user(app, email: "raad@ruwaard.test", role: .councilMember, areas: ["ruwaard"])
            let member = TestBrowser(app)
            _ = try await member.login("raad@ruwaard.test", Fixture.password)
            #expect(try await member.get(Self.page + "/verhaal").text.contains("namens de raad"))
            let memberCSRF = TestBrowser.csrf(in: try await member.get(Self.page + "/verhaal").text)
            let (h3, b3) = Multipart.body([("csrf", memberCSRF), ("goed", "Het nieuwe speelveld is klaar")], file: nil)
            #expect(try await app.testing().sendRequest(.POST, Self.page + "/verhaal", headers: h3.merging(member), body: b3).status == .seeOther)
            let withCouncil = try await TestBrowser(app).get(Self.page).text
            #expect(withCouncil.contains("Het nieuwe speelveld is klaar") && withCouncil.contains("van de raad"))
            let (h4, b4) = Multipart.body([("csrf", csrf), ("beter", "Onzin")], file: nil)
            #expect(try await app.testing().sendRequest(.POST, Self.page + "/verhaal", headers: h4.merging(resident), body: b4).status == .seeOther)
            let waiting = try await AreaStory.query(on: app.db).filter(\.$couldBeBetter == "Onzin").first()!
            #expect(try await coordinator.submit(Self.page, to: Self.page + "/verhalen/\(waiting.id!.uuidString)", [("besluit", "afwijzen")]).status == .seeOther)
            #expect(try await AreaStory.find(waiting.id, on: app.db) == nil, "a rejected story is not kept")
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "story.review").count() == 2)
        }
    }

    @Test func aStorySentTwiceIsKeptOnceAndOneClientCannotFloodTheQueue() async throws {
        try await withApp(now: Self.now) { app in
            let resident = TestBrowser(app)
            let csrf = TestBrowser.csrf(in: try await resident.get(Self.page + "/verhaal").text)
            func post(_ text: String) async throws -> TestingHTTPResponse {
                let (h, b) = Multipart.body([("csrf", csrf), ("goed", text)], file: nil)
                return try await app.testing().sendRequest(.POST, Self.page + "/verhaal", headers: h.merging(resident), body: b)
            }
            #expect(try await post("Mooi plein").status == .seeOther)
            #expect(try await post("Mooi plein").status == .seeOther, "a resend is answered as sent")
            #expect(try await AreaStory.query(on: app.db).filter(\.$goesWell == "Mooi plein").count() == 1, "and kept once")
            // An admin is not the council: their story waits like anyone else's.
            let admin = try await Fixture.adminBrowser(app)
            let token = TestBrowser.csrf(in: try await admin.get(Self.page + "/verhaal").text)
            let (h, b) = Multipart.body([("csrf", token), ("goed", "Van de beheerder")], file: nil)
            #expect(try await app.testing().sendRequest(.POST, Self.page + "/verhaal", headers: h.merging(admin), body: b).status == .seeOther)
            #expect(try await AreaStory.query(on: app.db).filter(\.$goesWell == "Van de beheerder").first()?.status == .waiting)
            for i in 1...3 { #expect(try await post("Verhaal \(i)").status == .seeOther) }
            let flood = try await post("Nog een verhaal")
            #expect(flood.status == .tooManyRequests && flood.body.string.contains("over tien minuten") && flood.body.string.contains("Nog een verhaal"))
        }
    }

    @Test func ageAnswersAreCountedUnderParallelPostsAndSetAgainstTheMakeUp() async throws {
        try await withApp(now: Self.now) { app in
            let area = try await Area.query(on: app.db).filter(\.$slug == "ruwaard").first()!.requireID()
            await withTaskGroup(of: Void.self) { group in
                for i in 0..<24 {
                    group.addTask { await ReachCounter.count(i < 16 ? "65+" : "25-44", area: area, channel: "signalsWeb", at: Self.now, on: app.db) }
                }
            }
            await ReachCounter.count("onzin", area: area, channel: "signalsWeb", at: Self.now, on: app.db)
            await ReachCounter.count("", area: area, channel: "signalsWeb", at: Self.now, on: app.db)
            let counts = try await ReachCounter.counts(area: area, years: [2026], on: app.db)
            #expect(counts["signalsWeb"] == ["65+": 16, "25-44": 8], "every answer once; nonsense and no answer count nothing")
            let before = try await TestBrowser(app).get(Self.page).text
            let withoutMakeUp = before.components(separatedBy: "id=\"leeftijd-signalsWeb\"")[1].components(separatedBy: "</table>")[0]
            #expect(withoutMakeUp.contains("24 antwoorden") && withoutMakeUp.contains("66,7 %") && withoutMakeUp.contains("33,3 %"))
            #expect(!withoutMakeUp.contains("Doet meer mee"), "the demo has no age make-up per wijk: no verdict without it")
            // With the area's make-up from CBS (a 2025 file with the age shares of its wijken): the verdict per group.
            let m = try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first()!
            let info = try await app.areaDirectory.snapshot(for: m, on: app.db).area(slug: "ruwaard")!
            var lines = ["gwb_code_10;a_inw;p_00_14;p_15_24;p_25_44;p_45_64;p_65_oo"]
            for code in info.figures.wholeDistricts { lines.append("\(code);1000;15;12;26;27;20") }
            _ = try await CBSImport.run(lines.joined(separator: "\n") + "\n", year: 2025, on: app.db)
            let html = try await TestBrowser(app).get(Self.page).text
            let table = html.components(separatedBy: "id=\"leeftijd-signalsWeb\"")[1].components(separatedBy: "</table>")[0]
            let old = table.components(separatedBy: "65 jaar of ouder")[1].components(separatedBy: "</tr>")[0]
            #expect(old.contains("66,7 %") && old.contains("20 %") && old.contains("Doet meer mee"), "two thirds 65+ against a fifth of the inhabitants")
            let young = table.components(separatedBy: "15 tot 25 jaar")[1].components(separatedBy: "</tr>")[0]
            #expect(young.contains("Doet minder mee"))
        }
    }
}

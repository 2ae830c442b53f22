import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import Domain

@Suite("Councils: meetings, documents, decisions and the six-meetings flag", .serialized)
struct CouncilWorkTests {
    static let now = Date(timeIntervalSince1970: 1_795_435_200) // 23 November 2026

    static func coordinator(_ app: Application, area: String = "ruwaard") async throws -> TestBrowser {
        let email = "co-\(area)@oss.test"
        try await Fixture.user(app, email: email, role: .areaCoordinator, areas: [area])
        let browser = TestBrowser(app)
        _ = try await browser.login(email, Fixture.password)
        return browser
    }

    static func council(_ app: Application, _ slug: String = "ruwaard") async throws -> Council {
        let area = try await Fixture.area(app, slug)
        return try #require(try await Council.query(on: app.db).filter(\.$area.$id == area.requireID()).first())
    }

    static func multipart(_ fields: [(String, String)], file: (name: String, filename: String, data: Data)?) -> (HTTPHeaders, ByteBuffer) {
        Multipart.body(fields, file: file.map { Multipart.File(field: $0.name, filename: $0.filename, contentType: "application/pdf", data: $0.data) })
    }

    @Test func theCoordinatorPlansAMeetingWithAgendaAndDocuments() async throws {
        try await withApp(now: Self.now) { app in
            let co = try await Self.coordinator(app)
            let council = try await Self.council(app)
            let path = "/werk/raden/\(council.id!)"
            #expect(try await co.get("/werk/raden").text.contains(council.name))
            let past = try await co.submit(path, to: path + "/vergaderingen", [("datum", "2026-11-01"), ("begin", "19:30"), ("eind", "21:30"), ("plaats", "Wijkcentrum"), ("openbaar", "ja")])
            #expect(past.status == .unprocessableEntity && past.text.contains("Deze datum is al voorbij") && past.text.contains("value=\"Wijkcentrum\""))
            let backwards = try await co.submit(path, to: path + "/vergaderingen", [("datum", "2026-12-10"), ("begin", "21:30"), ("eind", "19:30"), ("plaats", "Wijkcentrum")])
            #expect(backwards.status == .unprocessableEntity && backwards.text.contains("De eindtijd moet na de begintijd liggen"))
            let before = try await CouncilMeeting.query(on: app.db).count()
            let ok = try await co.submit(path, to: path + "/vergaderingen", [("datum", "2026-12-10"), ("begin", "19:30"), ("eind", "21:30"), ("plaats", "De Lichtboei"), ("openbaar", "ja")])
            #expect(ok.status == .seeOther)
            #expect(try await CouncilMeeting.query(on: app.db).count() == before + 1)
            let meetingPath = try #require(ok.headers.first(name: .location))
            let meeting = try #require(try await CouncilMeeting.find(UUID(uuidString: String(meetingPath.split(separator: "/").last!)), on: app.db))
            #expect(meeting.isPublic && meeting.status == .planned)

            #expect(try await co.submit(meetingPath, to: meetingPath + "/agenda", [("titel", "")]).status == .unprocessableEntity)
            #expect(try await co.submit(meetingPath, to: meetingPath + "/agenda", [("titel", "Opening"), ("toelichting", "")]).status == .seeOther)
            #expect(try await co.submit(meetingPath, to: meetingPath + "/agenda", [("titel", "Herinrichting speeltuin"), ("toelichting", "Met de ontwerper")]).status == .seeOther)

            let csrf = TestBrowser.csrf(in: try await co.get(meetingPath).text)
            func upload(_ data: Data, _ filename: String, title: String = "Agenda") async throws -> TestingHTTPResponse {
                var (headers, body) = Self.multipart([("csrf", csrf), ("titel_document", title)], file: ("document", filename, data))
                headers.replaceOrAdd(name: .cookie, value: co.cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
                return try await app.testing().sendRequest(.POST, meetingPath + "/documenten", headers: headers, body: body)
            }
            let word = try await upload(Data("PK\u{3}\u{4}word".utf8), "agenda.docx")
            #expect(word.status == .unprocessableEntity && word.text.contains("Dit bestand is geen PDF") && word.text.contains("value=\"Agenda\""))
            let big = try await upload(Data("%PDF-".utf8) + Data(count: CouncilMeetingRules.maxDocumentBytes), "groot.pdf")
            #expect(big.status == .unprocessableEntity && big.text.contains("te groot"))
            #expect(try await upload(Data("%PDF-1.7 agenda".utf8), "agenda.pdf").status == .seeOther)
            #expect(try await CouncilDocument.query(on: app.db).count() == 1)

            // The public page shows agenda and documents, and the PDF downloads.
            let publicPath = "/gemeenten/oss/vergaderingen/\(meeting.id!)"
            let page = try await TestBrowser(app).get(publicPath).text
            #expect(page.contains("Herinrichting speeltuin") && page.contains("Met de ontwerper") && page.contains("Agenda (PDF"))
            let doc = try #require(try await CouncilDocument.query(on: app.db).first())
            let download = try await TestBrowser(app).get(publicPath + "/documenten/\(doc.id!)")
            #expect(download.status == .ok && download.headers.contentType?.subType == "pdf" && download.text.hasPrefix("%PDF-"))
            // Marking it held before it took place is refused.
            let early = try await co.submit(meetingPath, to: meetingPath + "/status", [("status", "held"), ("notulen", "Verslag")])
            #expect(early.status == .unprocessableEntity && early.text.contains("nog niet geweest"))
        }
    }

    @Test func decisionsAreNumberedAndAdoptAdvice() async throws {
        try await withApp(now: Self.now) { app in
            let co = try await Self.coordinator(app)
            let council = try await Self.council(app)
            let held = try #require(try await CouncilMeeting.query(on: app.db).filter(\.$council.$id == council.requireID()).filter(\.$status == .held).filter(\.$isPublic == true).sort(\.$startsAt, .descending).first())
            let path = "/werk/raden/\(council.id!)/vergaderingen/\(held.id!)"
            let advice = CouncilAdvice()
            advice.$council.id = try council.requireID()
            advice.kind = .requested
            advice.subject = "Parkeren bij de school"
            advice.question = "Wat vindt de raad?"
            advice.askedOn = held.startsAt.addingTimeInterval(-30 * 86_400)
            try await advice.create(on: app.db)
            let year = DutchTime.calendar.component(.year, from: held.startsAt)
            // The demo already has decisions: new ones continue the council's numbering for the year.
            let before = try await CouncilDecision.query(on: app.db).filter(\.$council.$id == council.requireID()).filter(\.$year == year).max(\.$sequence) ?? 0

            let missing = try await co.submit(path, to: path + "/besluiten", [("soort", "adviceAdopted"), ("tekst", "De raad adviseert een kiss-and-ride-strook.")])
            #expect(missing.status == .unprocessableEntity && missing.text.contains("Kies over welk advies"))
            #expect(try await co.submit(path, to: path + "/besluiten", [("soort", "adviceAdopted"), ("tekst", "De raad adviseert een kiss-and-ride-strook."),
                                                                       ("advies", advice.id!.uuidString)]).status == .seeOther)
            #expect(try await co.submit(path, to: path + "/besluiten", [("soort", "subsidy"), ("tekst", "250 euro voor het buurtfeest.")]).status == .seeOther)
            let decisions = try await CouncilDecision.query(on: app.db).filter(\.$council.$id == council.requireID()).filter(\.$sequence > before).sort(\.$sequence).all()
            let number = { (n: Int) in "\(year)-RUW-" + String(format: "%03d", n) }
            #expect(decisions.map(\.number) == [number(before + 1), number(before + 2)])
            let adopted = try #require(try await CouncilAdvice.find(advice.id, on: app.db))
            #expect(adopted.decisionID == decisions[0].id && adopted.givenOn == held.startsAt && adopted.advice?.contains("kiss-and-ride") == true)
            // Advice already decided cannot be decided again.
            #expect(try await co.submit(path, to: path + "/besluiten", [("soort", "adviceAdopted"), ("tekst", "Nog eens"), ("advies", advice.id!.uuidString)]).status == .unprocessableEntity)
            let page = try await TestBrowser(app).get("/gemeenten/oss/vergaderingen/\(held.id!)").text
            #expect(page.contains(number(before + 1)) && page.contains("Parkeren bij de school"))
        }
    }

    @Test func theListFlagsCouncilsThatWillNotReachSixAndLateAnswers() async throws {
        try await withApp(now: Self.now) { app in
            let admin = try await Fixture.adminBrowser(app, municipality: "GM0828")
            let ruwaard = try await Self.council(app)
            func row(_ html: String) -> String {
                html.components(separatedBy: "<tr>").first { $0.contains(ruwaard.name) } ?? ""
            }
            #expect(row(try await admin.get("/werk/raden").text).contains("Minimum gehaald"))
            // Ruwaard's meetings of this year were all cancelled: it can no longer reach six.
            for m in try await CouncilMeeting.query(on: app.db).filter(\.$council.$id == ruwaard.requireID()).all()
                where DutchTime.calendar.component(.year, from: m.startsAt) == 2026 {
                m.status = .cancelled
                try await m.update(on: app.db)
            }
            let html = try await admin.get("/werk/raden").text
            #expect(row(html).contains("Haalt het minimum niet") && html.contains("raden halen dit jaar het minimum"))
            #expect(html.contains("Antwoorden te laat") && html.contains("ww-status-badge--danger\">1</span>"), "the demo has advice with a late answer")
        }
    }

    @Test func onlyTheAreasCoordinatorManagesItsCouncil() async throws {
        try await withApp(now: Self.now) { app in
            let other = try await Self.coordinator(app, area: "schadewijk")
            let council = try await Self.council(app)
            let path = "/werk/raden/\(council.id!)"
            #expect(try await other.get(path).status == .forbidden)
            #expect(try await other.submit("/werk/raden", to: path + "/vergaderingen", [("datum", "2026-12-10"), ("begin", "19:30"), ("eind", "21:30"), ("plaats", "X")]).status == .forbidden)
            try await Fixture.user(app, email: "raad@oss.test", role: .councilMember, areas: ["ruwaard"])
            let member = TestBrowser(app)
            _ = try await member.login("raad@oss.test", Fixture.password)
            let view = try await member.get(path)
            #expect(view.status == .ok && !view.text.contains("Vergadering plannen</h2>"), "members see their council but do not plan")
            #expect(try await member.submit(path, to: path + "/vergaderingen", [("datum", "2026-12-10"), ("begin", "19:30"), ("eind", "21:30"), ("plaats", "X")]).status == .forbidden)
            // A closed meeting's documents are not public, nor for departments or partners.
            let closed = CouncilMeeting()
            closed.$council.id = try council.requireID()
            closed.startsAt = Self.now.addingTimeInterval(-7 * 86_400)
            closed.endsAt = closed.startsAt.addingTimeInterval(7200)
            closed.place = "Wijkcentrum"
            closed.isPublic = false
            closed.status = .held
            try await closed.create(on: app.db)
            let page = try await TestBrowser(app).get("/gemeenten/oss/vergaderingen/\(closed.id!)").text
            #expect(page.contains("besloten vergadering"))
            let doc = CouncilDocument()
            doc.$meeting.id = try closed.requireID()
            doc.title = "Vertrouwelijk"
            doc.filename = "v.pdf"
            doc.size = 8
            doc.data = Data("%PDF-1.7".utf8)
            doc.uploadedAt = Self.now
            try await doc.create(on: app.db)
            let docPath = "/gemeenten/oss/vergaderingen/\(closed.id!)/documenten/\(doc.id!)"
            #expect(try await TestBrowser(app).get(docPath).status == .notFound)
            try await Fixture.user(app, email: "partner@oss.test", role: .partner, areas: ["ruwaard"])
            let partner = TestBrowser(app)
            _ = try await partner.login("partner@oss.test", Fixture.password)
            #expect(try await partner.get(docPath).status == .notFound)
            #expect(try await partner.get(path).status == .forbidden)
            #expect(try await member.get(docPath).status == .ok, "the council's own member reads it")
        }
    }
}

import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import Domain

@Suite("Councils: asking for advice and late answers", .serialized)
struct AdviceRequestTests {
    static let now = Date(timeIntervalSince1970: 1_795_435_200) // 23 November 2026
    static let path = "/gemeenten/oss/adviezen/nieuw"

    @Test func theCollegeOrADepartmentAsksACouncil() async throws {
        try await withApp(now: Self.now) { app in
            let council = try await CouncilWorkTests.council(app)
            try await Fixture.user(app, email: "or@oss.test", role: .departmentOfficer, department: "Openbare ruimte")
            let officer = TestBrowser(app)
            _ = try await officer.login("or@oss.test", Fixture.password)
            #expect(try await officer.get("/gemeenten/oss/adviezen").text.contains(Self.path))
            let past = try await officer.submit(Self.path, [("raad", council.id!.uuidString), ("onderwerp", "Speelplek Ruwaardpark"), ("vraag", "Wat vindt de raad?"), ("gewenst", "2026-01-01")])
            #expect(past.status == .unprocessableEntity && past.text.contains("Deze datum is al voorbij") && past.text.contains("Speelplek Ruwaardpark"))
            let ok = try await officer.submit(Self.path, [("raad", council.id!.uuidString), ("onderwerp", "Speelplek Ruwaardpark"), ("vraag", "Wat vindt de raad?"), ("gewenst", "2027-01-31")])
            #expect(ok.status == .seeOther)
            let advice = try #require(try await CouncilAdvice.query(on: app.db).filter(\.$subject == "Speelplek Ruwaardpark").first())
            #expect(advice.kind == .requested && advice.askedOn == Self.now && advice.wantedBy != nil)
            let page = try await TestBrowser(app).get("/gemeenten/oss/adviezen/\(advice.id!)").text
            #expect(page.contains("Gevraagd") || page.contains("Wat vindt de raad?"))
            #expect(page.contains("Gewenst vóór 31 januari 2027"))
        }
    }

    @Test func aCouncilMemberStartsUnsolicitedAdviceOnlyForTheirOwnCouncil() async throws {
        try await withApp(now: Self.now) { app in
            let ruwaard = try await CouncilWorkTests.council(app), schadewijk = try await CouncilWorkTests.council(app, "schadewijk")
            try await Fixture.user(app, email: "raad@oss.test", role: .councilMember, areas: ["ruwaard"])
            let member = TestBrowser(app)
            _ = try await member.login("raad@oss.test", Fixture.password)
            let form = try await member.get(Self.path).text
            #expect(form.contains(ruwaard.name) && !form.contains(schadewijk.name) && !form.contains("name=\"vraag\""))
            #expect(try await member.submit(Self.path, [("raad", schadewijk.id!.uuidString), ("onderwerp", "Iets")]).status == .unprocessableEntity)
            #expect(try await member.submit(Self.path, [("raad", ruwaard.id!.uuidString), ("onderwerp", "Bankjes in het park")]).status == .seeOther)
            #expect(try await CouncilAdvice.query(on: app.db).filter(\.$subject == "Bankjes in het park").first()?.kind == .unsolicited)
            try await Fixture.user(app, email: "partner@oss.test", role: .partner, areas: ["ruwaard"])
            let partner = TestBrowser(app)
            _ = try await partner.login("partner@oss.test", Fixture.password)
            #expect(try await partner.get(Self.path).status == .forbidden)
            #expect(try await TestBrowser(app).get(Self.path).status == .seeOther)
        }
    }

    @Test func lateAnswersEscalateOncePerLevel() async throws {
        try await withApp(now: Self.now) { app in
            let coordinator = try await Fixture.user(app, email: "co@oss.test", role: .areaCoordinator, areas: ["ruwaard"])
            let ruwaard = try await CouncilWorkTests.council(app)
            let late = try #require(try await CouncilAdvice.query(on: app.db).filter(\.$council.$id == ruwaard.requireID()).filter(\.$answeredOn == nil).filter(\.$givenOn != nil).first())
            let first = try await Jobs.runAll(app: app, now: Self.now)
            #expect(first.adviceEscalations >= 1)
            #expect(try await Jobs.runAll(app: app, now: Self.now).adviceEscalations == 0, "never twice")
            let levels = try await AdviceEscalation.query(on: app.db).filter(\.$advice.$id == late.requireID()).all()
            #expect(levels.contains { $0.role == .areaCoordinator } && !levels.contains { $0.role == .teamLead })
            #expect(try await OutgoingMail.query(on: app.db).filter(\.$recipient == coordinator.email).count() >= 1)
            #expect(try await TestBrowser(app).get("/gemeenten/oss/adviezen/\(late.id!)").text.contains("Geëscaleerd naar"))
        }
    }
}

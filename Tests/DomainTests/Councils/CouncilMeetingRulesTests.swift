import Testing
import Foundation
@testable import Domain

@Suite("Council meetings and decisions")
struct CouncilMeetingRulesTests {
    @Test func documentsArePDFsOfAtMostTenMegabytes() {
        #expect(CouncilMeetingRules.checkDocument(Data("%PDF-1.7\n…".utf8)) == nil)
        #expect(CouncilMeetingRules.checkDocument(Data()) == .empty)
        #expect(CouncilMeetingRules.checkDocument(Data("PK\u{3}\u{4} a word file".utf8)) == .notPDF)
        #expect(CouncilMeetingRules.checkDocument(Data("%PDF-".utf8) + Data(count: CouncilMeetingRules.maxDocumentBytes)) == .tooLarge)
    }

    @Test(arguments: [("Oss-Zuid", "OSS"), ("Ruwaard", "RUW"), ("Geffen", "GEF"), ("Ën", "ENX"), ("'s-Hertogenbosch", "SHE")])
    func councilCodes(name: String, code: String) {
        #expect(CouncilMeetingRules.councilCode(name) == code)
    }

    @Test func decisionNumbers() {
        #expect(CouncilMeetingRules.decisionNumber(year: 2026, councilCode: "RUW", sequence: 4) == "2026-RUW-004")
        #expect(CouncilMeetingRules.decisionNumber(year: 2027, councilCode: "GEF", sequence: 123) == "2027-GEF-123")
    }

    @Test func meetingProblems() {
        let now = Date(timeIntervalSince1970: 1_800_000_000), hour = 3600.0
        #expect(CouncilMeetingRules.problems(start: now + hour, end: now + 2 * hour, status: .planned, now: now).isEmpty)
        #expect(CouncilMeetingRules.problems(start: now - 48 * hour, end: now - 46 * hour, status: .planned, now: now) == [.plannedInThePast])
        #expect(CouncilMeetingRules.problems(start: now + hour, end: now, status: .held, now: now) == [.endBeforeStart, .heldInTheFuture])
        #expect(CouncilMeetingRules.problems(start: now - 48 * hour, end: now - 46 * hour, status: .held, now: now).isEmpty)
    }
}

@Suite("Council codes in decision numbers")
struct CouncilCodeTests {
    @Test func codesAreUniqueWithinAMunicipality() {
        let names = ["Oss Centrum", "Oss Noord West", "Oss Noord Oost", "Oss Zuid", "Ruwaard", "Schadewijk", "Ravenstein", "Berghem", "Berghem-Zuid"]
        let codes = CouncilMeetingRules.councilCodes(names)
        #expect(Set(codes).count == names.count, "\(codes)")
        #expect(codes[0] == "OSS" && codes[4] == "RUW" && codes[5] == "SCH" && codes[6] == "RAV")
        #expect(codes.allSatisfy { $0.count == 3 })
        #expect(CouncilMeetingRules.councilCodes(names) == codes, "stable: the same names give the same codes")
    }
}

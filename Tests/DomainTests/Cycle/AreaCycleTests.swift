import Foundation
import Testing
@testable import Domain

@Suite("Area cycle: the flow, staleness, linking opportunities")
struct AreaCycleDomainTests {
    let now = Date(timeIntervalSince1970: 1_795_435_200)
    var cal: Calendar { DutchTime.calendar }

    @Test func theFlowAsATransitionTable() {
        let later = now.addingTimeInterval(86_400), earlier = now.addingTimeInterval(-86_400)
        // Every step from every status, by both actors: only the table's cells succeed.
        for step in CycleFlow.Step.allCases {
            for status in CycleStatus.allCases {
                for actor in [CycleActor.coordinator, .college] {
                    let result = CycleFlow.next(step, from: status, kind: .monitor, by: actor, consultedUntil: earlier, consultationEnds: later, now: now)
                    let rule = CycleFlow.table[step]!
                    if rule.by == actor && rule.from.contains(status) {
                        #expect((try? result.get()) == rule.to, "\(step) from \(status)")
                    } else {
                        #expect((try? result.get()) == nil, "\(step) from \(status) by \(actor) must be refused")
                    }
                }
            }
        }
    }

    @Test func consultationRulesForAgendaAndPlan() {
        let later = now.addingTimeInterval(86_400), earlier = now.addingTimeInterval(-86_400)
        #expect(CycleFlow.next(.submit, from: .draft, kind: .agenda, by: .coordinator, consultedUntil: nil, now: now) == .failure(.consultationMissing))
        #expect(CycleFlow.next(.submit, from: .draft, kind: .analysis, by: .coordinator, consultedUntil: nil, now: now) == .success(.submitted))
        #expect(CycleFlow.next(.submit, from: .consultation, kind: .plan, by: .coordinator, consultedUntil: later, now: now) == .failure(.consultationNotOver))
        #expect(CycleFlow.next(.submit, from: .consultation, kind: .plan, by: .coordinator, consultedUntil: earlier, now: now) == .success(.submitted))
        #expect(CycleFlow.next(.adopt, from: .submitted, kind: .agenda, by: .college, consultedUntil: nil, now: now) == .failure(.consultationMissing))
        #expect(CycleFlow.next(.openConsultation, from: .draft, kind: .agenda, by: .coordinator, consultedUntil: nil, consultationEnds: earlier, now: now) == .failure(.consultationEndInPast))
        #expect(CycleFlow.acceptsResponses(status: .consultation, consultationEnds: later, now: now))
        #expect(!CycleFlow.acceptsResponses(status: .consultation, consultationEnds: now, now: now), "the end is exclusive")
        #expect(!CycleFlow.acceptsResponses(status: .submitted, consultationEnds: later, now: now))
    }

    @Test func stalenessAgainstTheCadence() {
        let elevenMonths = cal.date(byAdding: .month, value: -11, to: now)!
        let thirteenMonths = cal.date(byAdding: .month, value: -13, to: now)!
        #expect(CycleFreshness.of(adoptedOn: elevenMonths, cadenceMonths: 12, notYet: false, now: now, calendar: cal) == .current(until: cal.date(byAdding: .month, value: 12, to: elevenMonths)!))
        #expect(CycleFreshness.of(adoptedOn: thirteenMonths, cadenceMonths: 12, notYet: false, now: now, calendar: cal).isOutdated)
        #expect(!CycleFreshness.of(adoptedOn: thirteenMonths, cadenceMonths: 48, notYet: false, now: now, calendar: cal).isOutdated, "an analysis lasts four years")
        #expect(CycleFreshness.of(adoptedOn: cal.date(byAdding: .month, value: -7, to: now)!, cadenceMonths: CycleKind.monitor.defaultCadenceMonths, notYet: false, now: now, calendar: cal).isOutdated)
        #expect(CycleFreshness.of(adoptedOn: nil, cadenceMonths: 12, notYet: true, now: now, calendar: cal) == .notYet)
        #expect(CycleFreshness.of(adoptedOn: nil, cadenceMonths: 12, notYet: false, now: now, calendar: cal) == .missing)
    }

    @Test func linkingOpportunitiesByPlaceAndTimeAndBySpearhead() {
        let area = UUID(), other = UUID(), b1 = UUID(), b2 = UUID()
        let d = { (days: Double) in self.now.addingTimeInterval(days * 86_400) }
        let sewer = LinkingOpportunities.Project(id: UUID(), owner: "Openbare ruimte", areas: [area], neighbourhoods: [b1], start: d(0), end: d(200))
        let school = LinkingOpportunities.Project(id: UUID(), owner: "Basisschool", areas: [area], neighbourhoods: [b1, b2], start: d(100), end: d(300))
        let elsewhere = LinkingOpportunities.Project(id: UUID(), owner: "Welzijn", areas: [area], neighbourhoods: [b2], start: d(0), end: d(50))
        let whole = LinkingOpportunities.Project(id: UUID(), owner: "Welzijn", areas: [area], start: d(400), end: d(500), spearheads: ["\(area):S1"])
        let youth = LinkingOpportunities.Project(id: UUID(), owner: "Jongerenwerk", areas: [area], start: d(600), end: d(700), spearheads: ["\(area):S1"])
        let history = LinkingOpportunities.Project(id: UUID(), owner: "Cultuur", areas: [area], start: d(-3000), end: d(-2900), spearheads: ["\(area):S1"])
        let sameOwner = LinkingOpportunities.Project(id: UUID(), owner: "openbare ruimte", areas: [area], neighbourhoods: [b1], start: d(0), end: d(10))
        let far = LinkingOpportunities.Project(id: UUID(), owner: "Verkeer", areas: [other], start: d(0), end: d(900))
        let matches = LinkingOpportunities.find([sewer, school, elsewhere, whole, youth, sameOwner, far, history])
        func match(_ a: LinkingOpportunities.Project, _ b: LinkingOpportunities.Project) -> LinkingOpportunities.Match? {
            matches.first { Set([$0.first, $0.second]) == Set([a.id, b.id]) }
        }
        #expect(match(sewer, school)?.reasons == [.placeAndTime(neighbourhoods: [b1], area: nil, from: d(100), to: d(200))])
        #expect(match(sewer, elsewhere) == nil, "different buurten")
        #expect(match(school, elsewhere) == nil, "the same buurt but not at the same time")
        #expect(match(whole, youth)?.reasons == [.spearhead("\(area):S1")], "the same spearhead, at different times")
        #expect(match(sewer, sameOwner) == nil, "one owner's own projects are not an opportunity")
        #expect(match(history, whole) == nil && match(history, youth) == nil, "the same spearhead years apart is history, not an opportunity")
        #expect(!matches.contains { $0.first == far.id || $0.second == far.id }, "another area")
        #expect(matches.allSatisfy { $0.first.uuidString < $0.second.uuidString }, "each pair once, in a stated order")
        #expect(LinkingOpportunities.find([sewer, school]).count == LinkingOpportunities.find([school, sewer]).count)
    }

    @Test func oneOwnersManyProjectsCostNothingAndTheListIsCapped() {
        let area = UUID()
        let one = (0..<3000).map { _ in LinkingOpportunities.Project(id: UUID(), owner: "Openbare ruimte", areas: [area], start: now, end: now.addingTimeInterval(86_400 * 30)) }
        #expect(LinkingOpportunities.find(one).isEmpty, "a department's own imported projects are never opportunities")
        let mixed = (0..<200).map { i in LinkingOpportunities.Project(id: UUID(), owner: "Eigenaar \(i)", areas: [area], start: now, end: now.addingTimeInterval(86_400)) }
        #expect(LinkingOpportunities.find(mixed, limit: 50).count == 50)
        #expect(LinkingOpportunities.find(mixed).count == 200 * 199 / 2, "every pair of different owners at the same place and time")
    }

    @Test func whatChangedBetweenVersions() {
        let (added, removed) = CycleDiff.changes(old: ["Jongeren", "Afval"], new: ["Jongeren", "Verkeer"])
        #expect(added == ["Verkeer"] && removed == ["Afval"])
    }
}

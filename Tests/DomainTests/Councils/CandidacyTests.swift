import Testing
import Foundation
@testable import Domain

@Suite("Candidacy")
struct CandidacyTests {
    @Test(arguments: [
        (Candidacy.Status.applied, Candidacy.Step.check, true, Candidacy.Status.checked as Candidacy.Status?),
        (.applied, .check, false, .ineligible), (.checked, .nominate, true, .nominated), (.checked, .reject, true, .notNominated),
        (.nominated, .appoint, true, .appointed), (.applied, .withdraw, true, .withdrawn), (.nominated, .withdraw, true, .withdrawn),
        (.applied, .nominate, true, nil), (.applied, .appoint, true, nil), (.checked, .appoint, true, nil), (.ineligible, .nominate, true, nil),
        (.appointed, .withdraw, true, nil), (.withdrawn, .check, true, nil), (.notNominated, .appoint, true, nil),
    ])
    func flow(from: Candidacy.Status, step: Candidacy.Step, eligible: Bool, to: Candidacy.Status?) {
        #expect(Candidacy.next(from, step, eligible: eligible) == to)
    }

    @Test func stepsOffered() {
        #expect(Candidacy.steps(from: .applied) == [.check, .withdraw])
        #expect(Candidacy.steps(from: .checked) == [.nominate, .reject, .withdraw])
        #expect(Candidacy.steps(from: .nominated) == [.appoint, .withdraw])
        #expect(Candidacy.steps(from: .appointed).isEmpty)
    }

    @Test func samePersonByEmailOrName() {
        #expect(Candidacy.samePerson(("Anne@Oss.nl", "Anne"), ("anne@oss.nl", "A. de Vries")))
        #expect(!Candidacy.samePerson(("anne@oss.nl", "Anne"), ("bert@oss.nl", "Anne")))
        #expect(Candidacy.samePerson((nil, " Anne de Vries "), ("", "anne de vries")))
    }

    @Test func vacanciesAndOverlaps() {
        #expect(Candidacy.vacancies(seats: 7, members: 5) == 2)
        #expect(Candidacy.vacancies(seats: 7, members: 9) == 0)
        let d = { (y: Int) in DutchTime.calendar.date(from: DateComponents(year: y, month: 5, day: 1))! }
        #expect(Candidacy.overlaps((d(2022), d(2026)), (d(2025), d(2029))))
        #expect(!Candidacy.overlaps((d(2022), d(2026)), (d(2026), d(2030))))
        #expect(Candidacy.overlaps((d(2022), nil), (d(2030), d(2034))))
        #expect(Candidacy.profileNL.count == 9 && Candidacy.profileEN.count == 9)
    }
}
